using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Bms.Realtime.Server.Adapters;
using Bms.Realtime.Server.Namespaces;
using Bms.Server.Events;
using Bms.Server.Realtime;
using Microsoft.Extensions.Options;

namespace Bms.Server.EventFlow;

/// <summary>
/// The live event-flow view's recorder: a bounded ring of <see cref="EventFlowRecord"/>s on this node, fed from the
/// broadcast path (<see cref="RealtimeServer.BroadcastObserver"/>) and the connection lifecycle of <c>/main</c>,
/// <c>/admin</c> and <c>/pos</c>. It records only while someone watches: an admin on this node, or another node that
/// asked for this node's records within <see cref="EventFlowOptions.RemoteLease"/>. Otherwise the broadcast observer is
/// unset (the broadcast path reads one null field) and a connection or disconnect checks one volatile flag. Payloads
/// are never kept, only their size, unless a watcher asked for previews. Singleton; thread-safe.
/// </summary>
internal sealed partial class EventFlowMonitor : IAsyncDisposable
{
    /// <summary>Names beginning with this are the view's own traffic and are never recorded.</summary>
    private const string OwnEventPrefix = "event-flow";

    private static readonly AsyncLocal<PublishContext?> CurrentPublish = new();

    private readonly RealtimeServer io;
    private readonly EventFlowOptions options;
    private readonly TimeProvider time;
    private readonly ILogger<EventFlowMonitor> logger;
    private readonly EventFlowRing ring;
    private readonly Action<BroadcastDelivery> observer;
    private readonly ConcurrentDictionary<string, long> recentDisconnects = new(StringComparer.Ordinal);
    private volatile bool recording;
    private long remoteLeaseUntil;
    private long remotePayloadsUntil;

    public EventFlowMonitor(RealtimeServer io, IOptions<EventFlowOptions> options, TimeProvider time, ILogger<EventFlowMonitor> logger)
    {
        this.io = io;
        this.options = options.Value;
        this.time = time;
        this.logger = logger;
        ring = new EventFlowRing(this.options.Capacity);
        observer = OnBroadcast;
    }

    /// <summary>True while records are being kept on this node.</summary>
    public bool Recording => recording;

    /// <summary>The ring's capacity.</summary>
    public int Capacity => ring.Capacity;

    /// <summary>This node's id.</summary>
    public string NodeId => io.NodeId;

    /// <summary>Registers the connection hooks and the cluster answer on <c>/admin</c>. Called once at start.</summary>
    public void Attach()
    {
        foreach (var name in RealtimeNamespaces.All)
        {
            io.Of(name).OnConnection(OnConnected);
        }

        io.Of(RealtimeNamespaces.Admin).OnServerSideEmit(OnPullAsync);
    }

    /// <summary>
    /// Marks the delivery of <paramref name="domainEvent"/> (until disposed) so its broadcasts record the time from
    /// <paramref name="committedTimestamp"/> (<see cref="Stopwatch.GetTimestamp"/> when the change had committed) to
    /// their last local send. Null, at no cost, while nothing is recorded.
    /// </summary>
    public IDisposable? Publishing(DomainEvent domainEvent, long committedTimestamp)
    {
        if (!recording)
        {
            return null;
        }

        var previous = CurrentPublish.Value;
        CurrentPublish.Value = new PublishContext(this, domainEvent.Envelope.Id, committedTimestamp, domainEvent.Route.StoreId);
        return new PublishScope(previous);
    }

    /// <summary>This node's records after <paramref name="after"/>, oldest first, at most <see cref="EventFlowOptions.MaxRecordsPerMessage"/>.</summary>
    public List<EventFlowRecord> LocalSince(long after) => ring.Since(after, options.MaxRecordsPerMessage);

    private bool PayloadsWanted => payloadWatchers > 0 || time.GetTimestamp() < Interlocked.Read(ref remotePayloadsUntil);

    /// <summary>Turns recording (and the broadcast observer) on or off to match the watchers and the remote lease.</summary>
    private void UpdateRecording()
    {
        lock (gate)
        {
            var on = !watchers.IsEmpty || time.GetTimestamp() < Interlocked.Read(ref remoteLeaseUntil);
            if (on == recording)
            {
                return;
            }

            recording = on;
            io.BroadcastObserver = on ? observer : null;
            if (!on)
            {
                recentDisconnects.Clear();
            }

            Log.RecordingChanged(logger, io.NodeId, on);
        }
    }

    private void OnBroadcast(BroadcastDelivery delivery)
    {
        if (watchers.IsEmpty && time.GetTimestamp() >= Interlocked.Read(ref remoteLeaseUntil))
        {
            // The other node's lease ran out and nobody watches here: stop before recording anything more.
            UpdateRecording();
            return;
        }

        var name = delivery.Packet.EventName;
        if (name is null || name.StartsWith(OwnEventPrefix, StringComparison.Ordinal))
        {
            return;
        }

        var context = CurrentPublish.Value is { } c && ReferenceEquals(c.Owner, this) ? c : null;
        var first = delivery.Packet.FirstArgument;
        var rooms = delivery.Options.Rooms.Count == 0 ? [] : delivery.Options.Rooms.Order(StringComparer.Ordinal).ToArray();
        var eventId = context?.EventId ?? EnvelopeId(first, name);
        var storeId = StoreOfRooms(rooms) ?? context?.StoreId ?? StoreOfData(first);
        double? commitToSend = context is null
            ? null
            : Math.Round(Stopwatch.GetElapsedTime(context.Committed, delivery.CompletedTimestamp).TotalMilliseconds, 3);
        var payload = PayloadsWanted && first.ValueKind != JsonValueKind.Undefined ? Preview(first.GetRawText()) : null;
        var at = time.GetUtcNow().UtcDateTime;
        ring.Add(seq => new EventFlowRecord
        {
            Seq = seq, Node = io.NodeId, At = at, Kind = EventFlowRecord.EventKind, Namespace = delivery.Namespace, Name = name,
            EventId = eventId, Rooms = rooms, Recipients = delivery.Recipients, PayloadBytes = delivery.PayloadBytes,
            CommitToSendMs = commitToSend, StoreId = storeId, Payload = payload,
        });
    }

    private void OnConnected(RealtimeSocket socket)
    {
        socket.OnDisconnect(reason => OnDisconnected(socket, reason));
        if (!recording)
        {
            return;
        }

        var key = ActorKey(socket);
        var transition = socket.Recovered ? "recovered"
            : key is not null && recentDisconnects.TryRemove(key, out var left)
                && time.GetElapsedTime(left) <= options.ReconnectWindow ? "reconnect"
            : "connect";
        RecordConnection(socket, transition, null);
    }

    private void OnDisconnected(RealtimeSocket socket, DisconnectReason reason)
    {
        if (!watchers.IsEmpty && watchers.TryRemove(socket, out var watcher))
        {
            RemovedWatcher(watcher);
        }

        if (!recording)
        {
            return;
        }

        if (ActorKey(socket) is { } key)
        {
            if (recentDisconnects.Count >= 10_000)
            {
                recentDisconnects.Clear();
            }

            recentDisconnects[key] = time.GetTimestamp();
        }

        RecordConnection(socket, "disconnect", reason.ToWireString());
    }

    private void RecordConnection(RealtimeSocket socket, string transition, string? reason)
    {
        var (actor, storeId) = ReadUser(socket);
        var at = time.GetUtcNow().UtcDateTime;
        string? transport = null;
        try
        {
            transport = socket.Transport;
        }
        catch (ObjectDisposedException)
        {
            // The engine session is gone after a disconnect; the record stands without it.
        }

        ring.Add(seq => new EventFlowRecord
        {
            Seq = seq, Node = io.NodeId, At = at, Kind = EventFlowRecord.ConnectionKind, Namespace = socket.Namespace.Name,
            Name = transition, StoreId = storeId, SocketId = socket.Id, Actor = actor, Reason = reason, Transport = transport,
        });
    }

    private static string? ActorKey(RealtimeSocket socket) =>
        socket.Data.TryGetValue("user", out var value) && value is IReadOnlyDictionary<string, object?> user
            ? $"{socket.Namespace.Name}|{user.GetValueOrDefault("kind")}:{user.GetValueOrDefault("id")}"
            : null;

    private static (string? Actor, int? StoreId) ReadUser(RealtimeSocket socket)
    {
        if (!socket.Data.TryGetValue("user", out var value) || value is not IReadOnlyDictionary<string, object?> user)
        {
            return (null, null);
        }

        var stores = user.GetValueOrDefault("storeIds") as int[];
        return (user.GetValueOrDefault("name")?.ToString(), stores is [var only] ? only : null);
    }

    private static string? EnvelopeId(JsonElement first, string name) =>
        first.ValueKind == JsonValueKind.Object
        && first.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.ValueEquals(name)
        && first.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString()
            : null;

    private static int? StoreOfRooms(string[] rooms)
    {
        foreach (var room in rooms)
        {
            if (room.StartsWith("store:", StringComparison.Ordinal) && int.TryParse(room.AsSpan(6), out var id))
            {
                return id;
            }
        }

        return null;
    }

    private static int? StoreOfData(JsonElement first) =>
        first.ValueKind == JsonValueKind.Object
        && first.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
        && data.TryGetProperty("storeId", out var store) && store.ValueKind == JsonValueKind.Number && store.TryGetInt32(out var id)
            ? id
            : null;

    private string Preview(string json) => json.Length <= options.PayloadPreviewChars ? json : json[..options.PayloadPreviewChars] + "…";

    private sealed record PublishContext(EventFlowMonitor Owner, string EventId, long Committed, int? StoreId);

    private sealed class PublishScope(PublishContext? previous) : IDisposable
    {
        public void Dispose() => CurrentPublish.Value = previous;
    }
}
