using System.Collections.Concurrent;
using System.Text.Json;
using Bms.Realtime.Protocol;
using Bms.Realtime.Server.Namespaces;
using Bms.Server.Realtime;

namespace Bms.Server.EventFlow;

internal sealed partial class EventFlowMonitor
{
    /// <summary>Client event on <c>/admin</c>: <c>event-flow:subscribe({payloads?}, ack)</c> → <c>{ok, node, capacity, records}</c>.</summary>
    public const string SubscribeEvent = ClientEvents.EventFlowSubscribe;

    /// <summary>Client event on <c>/admin</c>: <c>event-flow:unsubscribe(ack)</c> → <c>{ok:true}</c>.</summary>
    public const string UnsubscribeEvent = ClientEvents.EventFlowUnsubscribe;

    /// <summary>Server → watcher on <c>/admin</c>: <c>event-flow {records}</c>, every <see cref="EventFlowOptions.PushInterval"/> while there is news.</summary>
    public const string StreamEvent = RealtimeEventNames.EventFlow;

    /// <summary>Server-side emit on <c>/admin</c> between nodes: "send me your records after my cursor for you".</summary>
    internal const string PullEvent = "event-flow:pull";

    private readonly Lock gate = new();
    private readonly ConcurrentDictionary<RealtimeSocket, Watcher> watchers = new();
    private readonly CancellationTokenSource stopping = new();
    private int payloadWatchers;
    private Task? pump;

    /// <summary>
    /// Adds the socket (an admin on <c>/admin</c>; the gateway's authorization table refuses everyone else) as a
    /// watcher and answers with a snapshot: the newest records of every node, oldest first.
    /// </summary>
    public async ValueTask SubscribeAsync(SocketEvent e)
    {
        var request = e.Args.Count > 0 ? e.Args.GetRaw(0) : default;
        var payloads = request.ValueKind == JsonValueKind.Object
            && request.TryGetProperty("payloads", out var p) && p.ValueKind == JsonValueKind.True;
        var watcher = new Watcher(e.Socket, payloads);
        lock (gate)
        {
            if (watchers.TryRemove(e.Socket, out var previous))
            {
                RemovedWatcher(previous);
            }

            watchers[e.Socket] = watcher;
            if (payloads)
            {
                Interlocked.Increment(ref payloadWatchers);
            }

            pump ??= Task.Run(() => PumpAsync(stopping.Token));
        }

        UpdateRecording();
        Log.WatcherAdded(logger, e.Socket.Id, io.NodeId, payloads);
        var records = LocalSince(0);
        foreach (var answer in await PullAsync(new Dictionary<string, long>(StringComparer.Ordinal), payloads, stopping.Token))
        {
            records.AddRange(answer.Records);
        }

        await e.AckAsync(new EventFlowSnapshot { Ok = true, Node = io.NodeId, Capacity = ring.Capacity, Records = records });
    }

    /// <summary>Removes the socket as a watcher (also done when it disconnects).</summary>
    public ValueTask UnsubscribeAsync(SocketEvent e)
    {
        if (watchers.TryRemove(e.Socket, out var watcher))
        {
            RemovedWatcher(watcher);
        }

        return e.AckAsync(new { ok = true });
    }

    private void RemovedWatcher(Watcher watcher)
    {
        if (watcher.Payloads)
        {
            Interlocked.Decrement(ref payloadWatchers);
        }

        Log.WatcherRemoved(logger, watcher.Socket.Id, io.NodeId);
        UpdateRecording();
    }

    /// <summary>Pushes new records (this node's and the other nodes') to the watchers until none is left.</summary>
    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        var cursors = new Dictionary<string, long>(StringComparer.Ordinal) { [io.NodeId] = ring.LastSeq };
        using var timer = new PeriodicTimer(options.PushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                lock (gate)
                {
                    if (watchers.IsEmpty)
                    {
                        pump = null;
                        return;
                    }
                }

                var batch = LocalSince(cursors[io.NodeId]);
                if (batch.Count > 0)
                {
                    cursors[io.NodeId] = batch[^1].Seq;
                }

                foreach (var answer in await PullAsync(cursors, PayloadsWanted, cancellationToken))
                {
                    if (answer.Records.Count > 0)
                    {
                        cursors[answer.Node] = answer.Records[^1].Seq;
                        batch.AddRange(answer.Records);
                    }
                }

                if (batch.Count == 0)
                {
                    continue;
                }

                var message = new EventFlowBatch { Records = batch };
                foreach (var socket in watchers.Keys)
                {
                    await socket.EmitAsync(StreamEvent, message);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Log.PumpFailed(logger, ex);
            lock (gate)
            {
                pump = null;
            }
        }
    }

    /// <summary>Asks the other nodes (through the adapter; none on one node) for their records after <paramref name="cursors"/>.</summary>
    private async Task<List<PullAnswer>> PullAsync(Dictionary<string, long> cursors, bool payloads, CancellationToken cancellationToken)
    {
        IReadOnlyList<JsonElement> answers;
        try
        {
            answers = await io.Of(RealtimeNamespaces.Admin).ServerSideEmitWithAckAsync(
                PullEvent, [new { cursors, payloads }], options.PullTimeout, cancellationToken);
        }
        catch (ServerSideEmitTimeoutException ex)
        {
            // Show what the nodes that did answer sent; the silent ones are asked again on the next push.
            answers = ex.Responses;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.PullFailed(logger, ex.Message);
            return [];
        }

        var result = new List<PullAnswer>(answers.Count);
        foreach (var answer in answers)
        {
            if (answer.ValueKind == JsonValueKind.Object
                && answer.TryGetProperty("node", out var node) && node.ValueKind == JsonValueKind.String
                && answer.TryGetProperty("records", out var records) && records.ValueKind == JsonValueKind.Array)
            {
                result.Add(new PullAnswer(node.GetString()!, records.Deserialize<List<EventFlowRecord>>(SocketJson.Options) ?? []));
            }
        }

        return result;
    }

    /// <summary>Another node's watchers want this node's records: renew the lease and answer with the news.</summary>
    private ValueTask OnPullAsync(object?[] args, Func<object?, ValueTask>? ack)
    {
        if (args is not [string name, JsonElement request, ..] || name != PullEvent || ack is null)
        {
            return ValueTask.CompletedTask;
        }

        var until = time.GetTimestamp() + (long)(options.RemoteLease.TotalSeconds * time.TimestampFrequency);
        Interlocked.Exchange(ref remoteLeaseUntil, until);
        if (request.ValueKind == JsonValueKind.Object && request.TryGetProperty("payloads", out var p) && p.ValueKind == JsonValueKind.True)
        {
            Interlocked.Exchange(ref remotePayloadsUntil, until);
        }

        UpdateRecording();
        long after = 0;
        if (request.ValueKind == JsonValueKind.Object && request.TryGetProperty("cursors", out var cursors)
            && cursors.ValueKind == JsonValueKind.Object && cursors.TryGetProperty(io.NodeId, out var mine) && mine.TryGetInt64(out var seq))
        {
            after = seq;
        }

        return ack(new { node = io.NodeId, records = LocalSince(after) });
    }

    /// <summary>Stops the push loop.</summary>
    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        if (pump is { } running)
        {
            await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        io.BroadcastObserver = null;
        stopping.Dispose();
    }

    private sealed record Watcher(RealtimeSocket Socket, bool Payloads);

    private sealed record PullAnswer(string Node, List<EventFlowRecord> Records);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Event-flow recording on node {Node}: {Recording}")]
        public static partial void RecordingChanged(ILogger logger, string node, bool recording);

        [LoggerMessage(2, LogLevel.Debug, "Event-flow watcher {Sid} added on node {Node} (payload previews: {Payloads})")]
        public static partial void WatcherAdded(ILogger logger, string sid, string node, bool payloads);

        [LoggerMessage(3, LogLevel.Debug, "Event-flow watcher {Sid} removed on node {Node}")]
        public static partial void WatcherRemoved(ILogger logger, string sid, string node);

        [LoggerMessage(4, LogLevel.Error, "The event-flow push loop failed")]
        public static partial void PumpFailed(ILogger logger, Exception exception);

        [LoggerMessage(5, LogLevel.Debug, "Event-flow records of the other nodes could not be fetched: {Error}")]
        public static partial void PullFailed(ILogger logger, string error);
    }
}
