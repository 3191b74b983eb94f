using System.Text.Json;
using Bms.Realtime.Client.Engine;
using Bms.Realtime.Protocol;
using Microsoft.Extensions.Logging;

namespace Bms.Realtime.Client;

/// <summary>Server-side subscription filters: <c>subscribe</c> / <c>unsubscribe</c>, re-sent after every reconnect.</summary>
public sealed partial class NamespaceSocket
{
    private const string SubscribeEvent = "subscribe";
    private const string UnsubscribeEvent = "unsubscribe";

    private readonly List<FilterSubscription> _filterSubscriptions = [];

    /// <summary>The filters asked for through <see cref="SubscribeAsync"/> and not disposed (re-sent after every reconnect).</summary>
    public int FilterSubscriptionCount
    {
        get
        {
            lock (_gate)
            {
                return _filterSubscriptions.Count;
            }
        }
    }

    /// <summary>
    /// Asks the server to deliver <paramref name="eventName"/> to this socket only when <paramref name="filter"/>
    /// matches (<c>subscribe {event, filter}</c>, acknowledged <c>{ok:true, id}</c>). Several subscriptions for one
    /// event are or-ed; events without a subscription are delivered as before. The filter only narrows what the
    /// socket's rooms deliver. It is sent again after every reconnect (like rooms), before the emits buffered while
    /// offline; until the server has it again, the socket may briefly receive that event unfiltered. Dispose the
    /// result to unsubscribe. Thread-safe.
    /// </summary>
    /// <param name="eventName">The event type, e.g. <c>inventory:updated</c>.</param>
    /// <param name="filter">The filter: a <see cref="JsonElement"/> or any object serialized with <see cref="SocketJson.Options"/>, e.g. <c>new { storeId = 1, newQuantity = new { lte = 5 } }</c>.</param>
    /// <param name="timeout">Ack timeout; <see cref="WebSocketClientOptions.Timeout"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="SubscriptionRefusedException">The server refused the filter (<c>invalid_filter</c> with a detail).</exception>
    /// <exception cref="TimeoutException">No answer in time (the subscription is dropped).</exception>
    /// <example>
    /// <code>
    /// await using var lowStock = await main.SubscribeAsync("inventory:updated", new { storeId = 1, newQuantity = new { lte = 5 } });
    /// </code>
    /// </example>
    public async Task<IAsyncDisposable> SubscribeAsync(string eventName, object filter, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        ArgumentNullException.ThrowIfNull(filter);
        var json = filter is JsonElement element ? element.Clone() : JsonSerializer.SerializeToElement(filter, SocketJson.Options);
        var subscription = new FilterSubscription(this, eventName, json);
        lock (_gate)
        {
            // Remembered first: a reconnect while the request is in flight re-sends it.
            _filterSubscriptions.Add(subscription);
        }

        try
        {
            var reply = await EmitWithAckAsync(SubscribeEvent, timeout ?? _client.Options.Timeout, [subscription.Request], cancellationToken)
                .ConfigureAwait(false);
            subscription.ServerId = ReadSubscribeReply(reply);
            return subscription;
        }
        catch
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Called under <c>_gate</c> when the namespace (re)connected: re-sends every subscription on <paramref name="session"/>.</summary>
    private void ResubscribeLocked(ConnectedEngine session)
    {
        foreach (var subscription in _filterSubscriptions)
        {
            var pending = RegisterAck();
            session.Send(SocketPacketEncoder.EncodeEvent(Namespace, SubscribeEvent, [subscription.Request], pending.Id));
            _ = TrackResubscribeAsync(subscription, pending);
        }
    }

    private async Task TrackResubscribeAsync(FilterSubscription subscription, PendingAck pending)
    {
        try
        {
            var reply = await pending.Task.WaitAsync(_client.Options.Timeout, _client.Time).ConfigureAwait(false);
            subscription.ServerId = ReadSubscribeReply(reply);
            Log.Resubscribed(_logger, Namespace, subscription.EventName, true, null);
        }
        catch (Exception ex) when (ex is TimeoutException or EmitDroppedException or SubscriptionRefusedException)
        {
            Log.Resubscribed(_logger, Namespace, subscription.EventName, false, ex.Message);
        }
        finally
        {
            _acks.TryRemove(pending.Id, out _);
        }
    }

    private static string ReadSubscribeReply(EventArguments reply)
    {
        var raw = reply.Count > 0 ? reply.GetRaw(0) : default;
        if (raw.ValueKind == JsonValueKind.Object && raw.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True
            && raw.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
        {
            return id.GetString()!;
        }

        var error = raw.ValueKind == JsonValueKind.Object && raw.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String
            ? e.GetString()! : "refused";
        var detail = raw.ValueKind == JsonValueKind.Object && raw.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String
            ? d.GetString() : null;
        throw new SubscriptionRefusedException(error, detail);
    }

    private async ValueTask UnsubscribeAsync(FilterSubscription subscription)
    {
        bool removed;
        lock (_gate)
        {
            removed = _filterSubscriptions.Remove(subscription);
        }

        if (!removed || subscription.ServerId is not { } id || !IsConnected)
        {
            // Never acknowledged, or offline: the server has nothing to remove (a new connection starts without it).
            return;
        }

        try
        {
            await EmitWithAckAsync(UnsubscribeEvent, _client.Options.Timeout, [new { id }], CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or EmitDroppedException)
        {
            // The connection went away meanwhile: the subscription went with it.
        }
    }

    /// <summary>One subscription; disposing it unsubscribes (once).</summary>
    private sealed class FilterSubscription(NamespaceSocket owner, string eventName, JsonElement filter) : IAsyncDisposable
    {
        private string? _serverId;
        private int _disposed;

        public string EventName { get; } = eventName;

        public object Request { get; } = new Dictionary<string, object?> { ["event"] = eventName, ["filter"] = filter };

        /// <summary>The id the server gave the current connection's copy.</summary>
        public string? ServerId
        {
            get => Volatile.Read(ref _serverId);
            set => Volatile.Write(ref _serverId, value);
        }

        public ValueTask DisposeAsync() =>
            Interlocked.Exchange(ref _disposed, 1) == 0 ? owner.UnsubscribeAsync(this) : ValueTask.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(20, LogLevel.Debug, "Subscription filter for {Event} re-sent on {Namespace}: {Ok} {Error}")]
        public static partial void Resubscribed(ILogger logger, string @namespace, string @event, bool ok, string? error);
    }
}
