using System.Collections.Concurrent;
using System.Collections.Immutable;
using Bms.Realtime.Protocol;
using Bms.Realtime.Server.Adapters;
using Bms.Realtime.Server.Engine;
using Microsoft.Extensions.Logging;

namespace Bms.Realtime.Server.Namespaces;

/// <summary>
/// One client's presence in one namespace. Thread-safe: emits, joins and handler registration may happen from any
/// thread. Handlers for one socket start in arrival order (each runs to its first await before the next starts).
/// </summary>
public sealed partial class RealtimeSocket
{
    private readonly SocketClient _client;
    private readonly ILogger _logger;
    private ConcurrentDictionary<long, Action<EventArguments>>? _acks;
    private ConcurrentDictionary<string, object?>? _data;
    private EventHandlerTable _handlers;
    private ImmutableArray<Func<SocketEvent, ValueTask>> _anyHandlers = ImmutableArray<Func<SocketEvent, ValueTask>>.Empty;
    private ImmutableArray<Func<DisconnectReason, ValueTask>> _disconnectingHandlers = ImmutableArray<Func<DisconnectReason, ValueTask>>.Empty;
    private ImmutableArray<Func<DisconnectReason, ValueTask>> _disconnectHandlers = ImmutableArray<Func<DisconnectReason, ValueTask>>.Empty;
    private int _state; // 0 connecting, 1 connected, 2 disconnected

    internal RealtimeSocket(RealtimeNamespace @namespace, SocketClient client, SocketHandshake handshake, string id, string? pid, ILogger logger)
    {
        Namespace = @namespace;
        _client = client;
        Handshake = handshake;
        Id = id;
        PrivateId = pid;
        _logger = logger;
        ConnectedAt = @namespace.Server.Time.GetUtcNow();
    }

    /// <summary>The socket id (also the name of its own room).</summary>
    public string Id { get; }

    /// <summary>The private session id used for recovery (null when recovery is off).</summary>
    public string? PrivateId { get; }

    /// <summary>The namespace.</summary>
    public RealtimeNamespace Namespace { get; }

    /// <summary>The handshake: auth payload, headers, query, address, time.</summary>
    public SocketHandshake Handshake { get; }

    /// <summary>Application data attached to the socket (kept across a recovery, visible to <c>FetchSocketsAsync</c>).</summary>
    public ConcurrentDictionary<string, object?> Data =>
        _data ?? LazyInitializer.EnsureInitialized(ref _data, () => new ConcurrentDictionary<string, object?>(StringComparer.Ordinal));

    // Most sockets never wait for an ack: the table is created on first use to keep idle sockets small.
    private ConcurrentDictionary<long, Action<EventArguments>> Acks =>
        _acks ?? LazyInitializer.EnsureInitialized(ref _acks, () => new ConcurrentDictionary<long, Action<EventArguments>>());

    /// <summary>True between the CONNECT reply and the disconnect.</summary>
    public bool Connected => Volatile.Read(ref _state) == 1;

    /// <summary>True when this socket was restored by connection-state recovery.</summary>
    public bool Recovered { get; internal set; }

    /// <summary>When the socket joined.</summary>
    public DateTimeOffset ConnectedAt { get; }

    /// <summary>The rooms the socket is in (including its own id).</summary>
    public IReadOnlySet<string> Rooms => Namespace.Adapter.GetRooms(Id);

    /// <summary>The current transport: <c>polling</c> or <c>websocket</c>.</summary>
    public string Transport => _client.Session.TransportName;

    /// <summary>The underlying Engine.IO session id.</summary>
    public string EngineId => _client.Session.Id;

    /// <summary>Registers a handler for <paramref name="eventName"/>; dispose the result to remove it.</summary>
    public IDisposable On(string eventName, Func<SocketEvent, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        ArgumentNullException.ThrowIfNull(handler);
        _handlers.Add(eventName, handler);
        return new Subscription(() => _handlers.Remove(eventName, handler));
    }

    /// <summary>Registers a synchronous handler for <paramref name="eventName"/>.</summary>
    public IDisposable On(string eventName, Action<SocketEvent> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return On(eventName, e =>
        {
            handler(e);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>Removes every handler of <paramref name="eventName"/>.</summary>
    public void Off(string eventName) => _handlers.RemoveAll(eventName);

    /// <summary>Registers a catch-all handler, called before the named handlers for every event.</summary>
    public IDisposable OnAny(Func<SocketEvent, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ImmutableInterlocked.Update(ref _anyHandlers, list => list.Add(handler));
        return new Subscription(() => ImmutableInterlocked.Update(ref _anyHandlers, list => list.Remove(handler)));
    }

    /// <summary>Called when the socket is about to leave (its rooms are still set).</summary>
    public void OnDisconnecting(Func<DisconnectReason, ValueTask> handler) =>
        ImmutableInterlocked.Update(ref _disconnectingHandlers, list => list.Add(handler));

    /// <summary>Called once the socket has left the namespace.</summary>
    public void OnDisconnect(Func<DisconnectReason, ValueTask> handler) =>
        ImmutableInterlocked.Update(ref _disconnectHandlers, list => list.Add(handler));

    /// <summary>Called once the socket has left the namespace (synchronous form).</summary>
    public void OnDisconnect(Action<DisconnectReason> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        OnDisconnect(reason =>
        {
            handler(reason);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>
    /// Emits an event to this client. With recovery on, the packet goes through the adapter so it carries an offset and
    /// is replayed if the client reconnects in time.
    /// </summary>
    public ValueTask EmitAsync(string eventName, params object?[] args) => EmitAsync(eventName, args, CancellationToken.None);

    /// <inheritdoc cref="EmitAsync(string, object?[])"/>
    /// <param name="eventName">The event name.</param>
    /// <param name="args">The event's arguments.</param>
    /// <param name="cancellationToken">Cancels the emit before the packet is handed to the socket's writer.</param>
    public ValueTask EmitAsync(string eventName, object?[] args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        if (Namespace.Server.Options.ConnectionStateRecovery.Enabled)
        {
            var options = new BroadcastOptions([Id], [], new BroadcastFlags());
            return Namespace.Adapter.BroadcastAsync(eventName, args, options, cancellationToken);
        }

        SendPacket(SocketPacketEncoder.EncodeEvent(Namespace.Name, eventName, args, null, Namespace.Server.JsonOptions), isVolatile: false, compress: true);
        return ValueTask.CompletedTask;
    }

    /// <summary>Emits an event that is dropped if the transport is busy or not connected.</summary>
    public void EmitVolatile(string eventName, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        SendPacket(SocketPacketEncoder.EncodeEvent(Namespace.Name, eventName, args, null, Namespace.Server.JsonOptions), isVolatile: true, compress: true);
    }

    /// <summary>
    /// Emits an event and waits for the client's acknowledgement.
    /// </summary>
    /// <exception cref="TimeoutException">No answer within <paramref name="timeout"/>.</exception>
    /// <exception cref="InvalidOperationException">The socket disconnected before answering.</exception>
    public async Task<EventArguments> EmitWithAckAsync(string eventName, TimeSpan timeout, object?[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        ArgumentNullException.ThrowIfNull(args);
        var id = Namespace.NextAckId();
        var completion = new TaskCompletionSource<EventArguments>(TaskCreationOptions.RunContinuationsAsynchronously);
        var sentAt = Namespace.Server.Time.GetTimestamp();
        Acks[id] = a =>
        {
            Namespace.Server.Metrics.AckCompleted(Namespace.Name, "client", Namespace.Server.Time.GetElapsedTime(sentAt));
            completion.TrySetResult(a);
        };
        if (!Connected)
        {
            Acks.TryRemove(id, out _);
            throw new InvalidOperationException("The socket is not connected.");
        }

        SendPacket(SocketPacketEncoder.EncodeEvent(Namespace.Name, eventName, args, id, Namespace.Server.JsonOptions), isVolatile: false, compress: true);
        try
        {
            return await completion.Task.WaitAsync(timeout, Namespace.Server.Time, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Acks.TryRemove(id, out _);
        }
    }

    /// <summary>Emits an event with one argument and waits for the acknowledgement.</summary>
    public Task<EventArguments> EmitWithAckAsync(string eventName, TimeSpan timeout, object? arg, CancellationToken cancellationToken = default) =>
        EmitWithAckAsync(eventName, timeout, [arg], cancellationToken);

    /// <summary>Joins a room.</summary>
    public void Join(string room)
    {
        ArgumentNullException.ThrowIfNull(room);
        Namespace.Adapter.AddAll(Id, [room]);
    }

    /// <summary>Joins several rooms.</summary>
    public void Join(IEnumerable<string> rooms)
    {
        ArgumentNullException.ThrowIfNull(rooms);
        Namespace.Adapter.AddAll(Id, rooms);
    }

    /// <summary>Leaves a room.</summary>
    public void Leave(string room)
    {
        ArgumentNullException.ThrowIfNull(room);
        Namespace.Adapter.Delete(Id, room);
    }

    /// <summary>A broadcast to <paramref name="room"/> that excludes this socket.</summary>
    public BroadcastOperator To(string room) => Broadcast.To(room);

    /// <summary>A broadcast to every socket of the namespace but this one.</summary>
    public BroadcastOperator Broadcast => Namespace.Except(Id);

    /// <summary>
    /// Removes the socket from the namespace (the client receives DISCONNECT and does not reconnect on its own).
    /// With <paramref name="close"/> the whole underlying connection is closed.
    /// </summary>
    /// <param name="close">Also closes the whole underlying connection (every namespace of the client).</param>
    /// <param name="cancellationToken">Cancels the call before it starts; once started, the disconnect completes.</param>
    public ValueTask DisconnectAsync(bool close = false, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        if (close)
        {
            _client.DisconnectAll();
            return ValueTask.CompletedTask;
        }

        if (Connected)
        {
            SendPacket(SocketPacketEncoder.EncodeDisconnect(Namespace.Name), isVolatile: false, compress: true);
        }

        return OnCloseAsync(DisconnectReason.ServerNamespaceDisconnect);
    }

    /// <summary>A snapshot of this socket.</summary>
    public SocketDescriptor ToDescriptor() => new(
        Id,
        Namespace.Name,
        [.. Rooms],
        _data is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>(_data),
        Handshake,
        Transport,
        ConnectedAt,
        Namespace.Server.NodeId);

    internal void SendPacket(EncodedPacket packet, bool isVolatile, bool compress) =>
        SendFrames(PacketFrames.Create(packet, compress), isVolatile);

    internal bool SendFrames(OutgoingFrame[] frames, bool isVolatile)
    {
        var sent = _client.Session.Send(frames, isVolatile);
        if (sent)
        {
            Namespace.Server.Metrics.PacketSent(frames);
        }

        return sent;
    }

    internal void RegisterAck(long id, Action<EventArguments> callback) => Acks[id] = callback;

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
