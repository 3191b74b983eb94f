using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json;
using Bms.Realtime.Protocol;
using Bms.Realtime.Server.Engine;
using Bms.Realtime.Server.Namespaces;

namespace Bms.Realtime.Server.Adapters;

/// <summary>
/// The single-node adapter: room membership in memory, broadcasts delivered to local sockets (encoded once), and the
/// session/packet store of connection-state recovery. Base class of cluster adapters, which add the network part.
/// Thread-safe.
/// </summary>
public partial class InMemoryAdapter : IAdapter
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, RoomSet> _rooms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RoomSet> _sids = new(StringComparer.Ordinal);

    /// <summary>Creates the adapter of <paramref name="namespace"/>.</summary>
    public InMemoryAdapter(RealtimeNamespace @namespace)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        Namespace = @namespace;
        _offsetPrefix = EngineServer.NewId()[..8];
    }

    /// <summary>The namespace served.</summary>
    protected RealtimeNamespace Namespace { get; }

    /// <summary>This node's id (shared by all adapters of the process).</summary>
    public string NodeId => Namespace.Server.NodeId;

    /// <inheritdoc />
    public virtual ValueTask InitAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public void AddAll(string sid, IEnumerable<string> rooms)
    {
        lock (_lock)
        {
            if (!_sids.TryGetValue(sid, out var own))
            {
                own = new RoomSet();
                _sids[sid] = own;
            }

            foreach (var room in rooms)
            {
                if (own.Add(room))
                {
                    if (!_rooms.TryGetValue(room, out var members))
                    {
                        members = new RoomSet();
                        _rooms[room] = members;
                    }

                    members.Add(sid);
                }
            }
        }
    }

    /// <inheritdoc />
    public void Delete(string sid, string room)
    {
        lock (_lock)
        {
            if (_sids.TryGetValue(sid, out var own))
            {
                own.Remove(room);
            }

            RemoveFromRoomLocked(sid, room);
        }
    }

    /// <inheritdoc />
    public void DeleteAll(string sid)
    {
        lock (_lock)
        {
            if (!_sids.Remove(sid, out var own))
            {
                return;
            }

            foreach (var room in own)
            {
                RemoveFromRoomLocked(sid, room);
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlySet<string> GetRooms(string sid)
    {
        lock (_lock)
        {
            return _sids.TryGetValue(sid, out var own) ? own.ToImmutableHashSet() : ImmutableHashSet<string>.Empty;
        }
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> GetSockets(IReadOnlySet<string> rooms)
    {
        ArgumentNullException.ThrowIfNull(rooms);
        return ComputeTargets(rooms, ImmutableHashSet<string>.Empty);
    }

    /// <inheritdoc />
    public IReadOnlyCollection<string> GetAllRooms()
    {
        lock (_lock)
        {
            return _rooms.Keys.ToArray();
        }
    }

    /// <inheritdoc />
    public virtual ValueTask BroadcastAsync(string eventName, object?[] args, BroadcastOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        DeliverLocal(EncodeForBroadcast(eventName, args, options), options);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public virtual ValueTask BroadcastWithAckAsync(string eventName, object?[] args, BroadcastOptions options, Action<int> onClientCount, Action<EventArguments> onAck, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(onClientCount);
        var ackId = Namespace.NextAckId();
        var packet = SocketPacketEncoder.EncodeEvent(Namespace.Name, eventName, args, ackId, Namespace.Server.JsonOptions);
        onClientCount(DeliverLocal(packet, options, ackId, onAck));
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Writes an encoded packet to every matching local socket (the same frames to all). With an ack id, registers
    /// <paramref name="onAck"/> on each recipient. Returns the number of recipients.
    /// </summary>
    public int DeliverLocal(EncodedPacket packet, BroadcastOptions options, long? ackId = null, Action<EventArguments>? onAck = null)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(options);

        // One volatile read; timestamps and the delivery record only while someone observes.
        var observer = Namespace.Server.BroadcastObserver;
        var started = observer is null ? 0 : Stopwatch.GetTimestamp();
        var targets = ComputeTargets(options.Rooms, options.Except);
        if (targets.Count == 0)
        {
            if (observer is not null)
            {
                Observe(observer, new BroadcastPacket(packet), options, 0, started);
            }

            return 0;
        }

        var frames = PacketFrames.Create(packet, options.Flags.Compress);
        var count = 0;
        BroadcastPacket? view = null;
        foreach (var sid in targets)
        {
            if (!Namespace.TryGetSocket(sid, out var socket))
            {
                continue;
            }

            if (socket.DeliveryFilter is { } filter && !filter(view ??= new BroadcastPacket(packet)))
            {
                continue;
            }

            if (ackId is { } id && onAck is not null)
            {
                socket.RegisterAck(id, onAck);
            }

            if (socket.SendFrames(frames, options.Flags.Volatile) || ackId is not null)
            {
                count++;
            }
        }

        Namespace.Server.Metrics.BroadcastDelivered(Namespace.Name, count);
        if (observer is not null)
        {
            Observe(observer, view ?? new BroadcastPacket(packet), options, count, started);
        }

        return count;
    }

    private void Observe(Action<BroadcastDelivery> observer, BroadcastPacket view, BroadcastOptions options, int count, long started)
    {
        try
        {
            observer(new BroadcastDelivery(Namespace.Name, view, options, count, started, Stopwatch.GetTimestamp()));
        }
        catch (Exception ex)
        {
            // An observer is diagnostics: it never fails the broadcast.
            Namespace.Server.OnObserverFailed(ex);
        }
    }

    /// <inheritdoc />
    public virtual ValueTask<IReadOnlyList<SocketDescriptor>> FetchSocketsAsync(BroadcastOptions options, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(FetchLocal(options));

    /// <summary>Snapshots of the matching local sockets.</summary>
    public IReadOnlyList<SocketDescriptor> FetchLocal(BroadcastOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new List<SocketDescriptor>();
        foreach (var socket in LocalSockets(options))
        {
            result.Add(socket.ToDescriptor());
        }

        return result;
    }

    /// <inheritdoc />
    public virtual ValueTask AddSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms, CancellationToken cancellationToken = default)
    {
        foreach (var socket in LocalSockets(options))
        {
            socket.Join(rooms);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public virtual ValueTask DelSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rooms);
        foreach (var socket in LocalSockets(options))
        {
            foreach (var room in rooms)
            {
                socket.Leave(room);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public virtual async ValueTask DisconnectSocketsAsync(BroadcastOptions options, bool close, CancellationToken cancellationToken = default)
    {
        foreach (var socket in LocalSockets(options))
        {
            await socket.DisconnectAsync(close).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public virtual ValueTask ServerSideEmitAsync(string eventName, object?[] args, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <summary>One node: there is nobody to answer, so the list of answers is empty at once (as socket.io's cluster adapters with one node).</summary>
    public virtual ValueTask<IReadOnlyList<JsonElement>> ServerSideEmitWithAckAsync(string eventName, object?[] args, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<JsonElement>>([]);

    /// <inheritdoc />
    public virtual ValueTask<int> ServerCountAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(1);

    /// <inheritdoc />
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>The local sockets matching <paramref name="options"/>.</summary>
    protected List<RealtimeSocket> LocalSockets(BroadcastOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var sockets = new List<RealtimeSocket>();
        foreach (var sid in ComputeTargets(options.Rooms, options.Except))
        {
            if (Namespace.TryGetSocket(sid, out var socket))
            {
                sockets.Add(socket);
            }
        }

        return sockets;
    }

    private List<string> ComputeTargets(IReadOnlySet<string> rooms, IReadOnlySet<string> except)
    {
        lock (_lock)
        {
            HashSet<string>? excluded = null;
            foreach (var room in except)
            {
                if (_rooms.TryGetValue(room, out var members))
                {
                    excluded ??= new HashSet<string>(StringComparer.Ordinal);
                    excluded.UnionWith(members);
                }
            }

            var result = new List<string>();
            if (rooms.Count == 0)
            {
                foreach (var sid in _sids.Keys)
                {
                    if (excluded is null || !excluded.Contains(sid))
                    {
                        result.Add(sid);
                    }
                }

                return result;
            }

            if (rooms.Count == 1)
            {
                foreach (var room in rooms)
                {
                    if (_rooms.TryGetValue(room, out var members))
                    {
                        foreach (var sid in members)
                        {
                            if (excluded is null || !excluded.Contains(sid))
                            {
                                result.Add(sid);
                            }
                        }
                    }
                }

                return result;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var room in rooms)
            {
                if (_rooms.TryGetValue(room, out var members))
                {
                    foreach (var sid in members)
                    {
                        if ((excluded is null || !excluded.Contains(sid)) && seen.Add(sid))
                        {
                            result.Add(sid);
                        }
                    }
                }
            }

            return result;
        }
    }

    private void RemoveFromRoomLocked(string sid, string room)
    {
        if (_rooms.TryGetValue(room, out var members) && members.Remove(sid) && members.Count == 0)
        {
            _rooms.Remove(room);
        }
    }
}
