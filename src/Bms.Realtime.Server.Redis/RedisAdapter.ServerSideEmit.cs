using System.Text.Json;
using Bms.Realtime.Protocol;
using Bms.Realtime.Server.Namespaces;

namespace Bms.Realtime.Server.Redis;

/// <summary>
/// Server-side emits, as <c>@socket.io/redis-adapter</c> 8.x: a JSON request <c>{uid, [requestId,] type: 6, data: [event, ...args]}</c>
/// on the request channel; with a <c>requestId</c> every other node answers <c>{type: 6, requestId, data}</c> (the
/// first argument its handler acknowledged with) on the response channel, and the sender waits for
/// <c>PUBSUB NUMSUB</c> − 1 answers.
/// </summary>
public sealed partial class RedisAdapter
{
    /// <summary>The acknowledged server-side emits of this node still waiting for answers (for tests).</summary>
    internal int PendingServerSideEmits => PendingServerSideEmitCount;

    /// <summary>
    /// Sends an event to the other nodes; their <see cref="RealtimeNamespace.OnServerSideEmit(Func{object?[], ValueTask})"/>
    /// handlers receive <c>[eventName, ...args]</c> (arguments as JSON elements). Arguments travel as JSON, as with the
    /// Node adapter.
    /// </summary>
    public override ValueTask ServerSideEmitAsync(string eventName, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        ArgumentNullException.ThrowIfNull(args);

        // Queued (never waits for Redis); dropped and counted while Redis is down or not answering.
        EnqueueJson(_requestChannel, w => WriteServerSideEmit(w, null, eventName, args), "request");
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Sends an event to the other nodes and waits for one answer per other node (<c>PUBSUB NUMSUB</c> of the request
    /// channel minus this node, counted before sending, as the Node adapter). Answers are JSON (<c>null</c> for a node
    /// that acknowledged without a value), in arrival order. Empty at once when this node is alone. Throws
    /// <see cref="RedisUnavailableException"/> at once while Redis is down or not answering (and as soon as that
    /// becomes known while waiting), since no other node can answer then. Throws
    /// <see cref="ServerSideEmitTimeoutException"/> with the answers that arrived when <paramref name="timeout"/>
    /// (which includes counting the nodes and publishing) passes first, <see cref="OperationCanceledException"/> when
    /// <paramref name="cancellationToken"/> fires or the adapter is disposed; the pending request is dropped in every
    /// case and later answers are ignored.
    /// </summary>
    public override async ValueTask<IReadOnlyList<JsonElement>> ServerSideEmitWithAckAsync(string eventName, object?[] args, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        ArgumentNullException.ThrowIfNull(args);
        var responses = await ServerSideEmitWithAckCoreAsync(
            eventName,
            timeout,
            requestId => PublishJsonAsync(_requestChannel, w => WriteServerSideEmit(w, requestId, eventName, args), "request"),
            cancellationToken).ConfigureAwait(false);
        Log.ServerSideEmitAnswered(_logger, Namespace.Name, eventName, responses.Count, responses.Count);
        return responses;
    }

    /// <summary><c>{uid, requestId?, type: 6, data: [event, ...args]}</c>, keys in the Node adapter's order.</summary>
    private void WriteServerSideEmit(Utf8JsonWriter w, string? requestId, string eventName, object?[] args)
    {
        w.WriteString("uid", Uid);
        if (requestId is not null)
        {
            w.WriteString("requestId", requestId);
        }

        w.WriteNumber("type", (int)RedisRequestType.ServerSideEmit);
        w.WritePropertyName("data");
        w.WriteStartArray();
        w.WriteStringValue(eventName);
        foreach (var arg in args)
        {
            JsonSerializer.Serialize(w, arg, SocketJson.Options);
        }

        w.WriteEndArray();
    }

    /// <summary>A server-side emit from another node: run the handlers, with an acknowledgement callback when it carries a request id.</summary>
    private async ValueTask OnServerSideEmitRequestAsync(JsonElement data, string? uid, string? requestId)
    {
        if (data.ValueKind != JsonValueKind.Array || data.GetArrayLength() == 0)
        {
            return;
        }

        var args = new object?[data.GetArrayLength()];
        var i = 0;
        foreach (var item in data.EnumerateArray())
        {
            // The first element is the event name; the rest stay JSON.
            args[i] = i == 0 && item.ValueKind == JsonValueKind.String ? item.GetString() : item.Clone();
            i++;
        }

        var eventName = args[0] as string ?? data[0].GetRawText();
        Log.ServerSideEmitReceived(_logger, Namespace.Name, eventName, uid ?? "-", requestId is not null);
        Func<object?, ValueTask>? ack = requestId is null ? null : value => AnswerServerSideEmitAsync(uid, requestId, eventName, value);
        await Namespace.OnServerSideEmitReceivedAsync(args, ack).ConfigureAwait(false);
    }

    /// <summary>This node's answer: <c>{type: 6, requestId, data}</c> on the response channel, JSON as the Node adapter.</summary>
    private ValueTask AnswerServerSideEmitAsync(string? requesterUid, string requestId, string eventName, object? value)
    {
        EnqueueJson(ResponseChannelFor(requesterUid), w =>
        {
            w.WriteNumber("type", (int)RedisRequestType.ServerSideEmit);
            w.WriteString("requestId", requestId);
            w.WritePropertyName("data");
            JsonSerializer.Serialize(w, value, SocketJson.Options);
        }, "response");
        Log.ServerSideEmitAcknowledged(_logger, Namespace.Name, eventName, requesterUid ?? "-");
        return ValueTask.CompletedTask;
    }

    /// <summary>An answer to one of our acknowledged server-side emits; false when <paramref name="requestId"/> is not one.</summary>
    private bool TryAddServerSideEmitResponse(string requestId, long? type, Func<JsonElement?> data)
    {
        if (!IsServerSideEmitRequest(requestId))
        {
            return false;
        }

        if (type == (long)RedisRequestType.ServerSideEmit)
        {
            _metrics.Received("response");

            // JSON.stringify drops `data` when a Node handler acknowledged with no value: that answer is null.
            TryAddServerSideEmitResponse(requestId, data);
        }

        return true;
    }
}
