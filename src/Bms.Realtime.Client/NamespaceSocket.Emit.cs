using System.Collections.Concurrent;
using System.Text.Json;
using Bms.Realtime.Protocol;

namespace Bms.Realtime.Client;

/// <summary>Emits, acknowledgements, the send buffer and rooms.</summary>
public sealed partial class NamespaceSocket
{
    private const string RoomJoinEvent = "room:join";
    private const string RoomLeaveEvent = "room:leave";

    private readonly ConcurrentDictionary<long, PendingAck> _acks = new();
    private readonly Queue<BufferedEmit> _sendBuffer = new();
    private readonly HashSet<string> _rooms = new(StringComparer.Ordinal);
    private long _nextAckId = -1;
    private long _droppedEmits;

    /// <summary>Emits waiting in the send buffer (made while disconnected).</summary>
    public int BufferedEmitCount
    {
        get
        {
            lock (_gate)
            {
                return _sendBuffer.Count;
            }
        }
    }

    /// <summary>Emits dropped by this socket: the oldest ones when the buffer was full, and volatile ones while disconnected.</summary>
    public long DroppedEmitCount => Interlocked.Read(ref _droppedEmits);

    /// <summary>Acknowledgements still awaited.</summary>
    public int PendingAckCount => _acks.Count;

    /// <summary>
    /// The rooms asked for through <see cref="JoinRoomAsync"/> and not refused or left (re-joined after every reconnect that
    /// was not recovered).
    /// </summary>
    public IReadOnlyCollection<string> Rooms
    {
        get
        {
            lock (_gate)
            {
                return [.. _rooms];
            }
        }
    }

    /// <summary>
    /// Emits an event. When connected the packet is queued for the writer at once; otherwise it waits in the send buffer
    /// (see <see cref="WebSocketClientOptions.SendBufferCapacity"/>). Arguments are serialized with
    /// <see cref="SocketJson.Options"/>; <c>byte[]</c> / <c>ReadOnlyMemory&lt;byte&gt;</c> anywhere become binary attachments.
    /// </summary>
    public ValueTask EmitAsync(string eventName, params object?[] args) => EmitAsync(eventName, args, CancellationToken.None);

    /// <inheritdoc cref="EmitAsync(string, object?[])"/>
    public ValueTask EmitAsync(string eventName, object?[] args, CancellationToken cancellationToken)
    {
        CheckEmit(eventName, args);
        cancellationToken.ThrowIfCancellationRequested();
        Enqueue(SocketPacketEncoder.EncodeEvent(Namespace, eventName, args), null, isVolatile: false);
        return ValueTask.CompletedTask;
    }

    /// <summary>Emits an event that is dropped (and counted) instead of buffered when the socket is not connected.</summary>
    public ValueTask EmitVolatileAsync(string eventName, params object?[] args) => EmitVolatileAsync(eventName, args, CancellationToken.None);

    /// <inheritdoc cref="EmitVolatileAsync(string, object?[])"/>
    /// <param name="eventName">The event name.</param>
    /// <param name="args">The event's arguments.</param>
    /// <param name="cancellationToken">Cancels the emit before the packet is queued.</param>
    public ValueTask EmitVolatileAsync(string eventName, object?[] args, CancellationToken cancellationToken)
    {
        CheckEmit(eventName, args);
        cancellationToken.ThrowIfCancellationRequested();
        Enqueue(SocketPacketEncoder.EncodeEvent(Namespace, eventName, args), null, isVolatile: true);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Emits an event with an acknowledgement id and returns the server's answer (all ack arguments). Ack ids are
    /// allocated per socket with an interlocked counter, so any number of concurrent calls each get their own answer.
    /// </summary>
    /// <exception cref="TimeoutException">No answer within <paramref name="timeout"/>.</exception>
    /// <exception cref="EmitDroppedException">The emit was dropped from a full send buffer.</exception>
    public Task<EventArguments> EmitWithAckAsync(string eventName, TimeSpan timeout, params object?[] args) =>
        EmitWithAckAsync(eventName, timeout, args, CancellationToken.None);

    /// <inheritdoc cref="EmitWithAckAsync(string, TimeSpan, object?[])"/>
    public async Task<EventArguments> EmitWithAckAsync(string eventName, TimeSpan timeout, object?[] args, CancellationToken cancellationToken)
    {
        CheckEmit(eventName, args);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        var pending = RegisterAck();
        try
        {
            Enqueue(SocketPacketEncoder.EncodeEvent(Namespace, eventName, args, pending.Id), pending, isVolatile: false);
            return await pending.Task.WaitAsync(timeout, _client.Time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No acknowledgement for '{eventName}' on {Namespace} within {timeout}.");
        }
        finally
        {
            _acks.TryRemove(pending.Id, out _);
        }
    }

    /// <summary>Like <see cref="EmitWithAckAsync(string, TimeSpan, object?[])"/>, reading the first ack argument as <typeparamref name="T"/>.</summary>
    public Task<T?> EmitWithAckAsync<T>(string eventName, TimeSpan timeout, params object?[] args) =>
        EmitWithAckAsync<T>(eventName, timeout, args, CancellationToken.None);

    /// <inheritdoc cref="EmitWithAckAsync{T}(string, TimeSpan, object?[])"/>
    public async Task<T?> EmitWithAckAsync<T>(string eventName, TimeSpan timeout, object?[] args, CancellationToken cancellationToken)
    {
        var reply = await EmitWithAckAsync(eventName, timeout, args, cancellationToken).ConfigureAwait(false);
        return reply.Get<T>(0);
    }

    /// <summary>
    /// Joins <paramref name="room"/> by emitting <c>room:join</c> with an ack (<c>{ok, error?}</c>). The room is
    /// remembered from the moment of the call and re-joined after every reconnect that was not recovered; it is
    /// forgotten when the server refuses it, or when no answer comes while the connection stays up. A join whose answer
    /// is lost with the connection (the call then fails with a timeout) stays remembered, so the reconnect re-joins it:
    /// a drop at the wrong moment never leaves the client silently outside a room it asked for.
    /// </summary>
    /// <param name="room">The room, e.g. <c>store:1</c>.</param>
    /// <param name="timeout">Ack timeout; <see cref="WebSocketClientOptions.Timeout"/> when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public async Task<RoomResult> JoinRoomAsync(string room, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(room);
        cancellationToken.ThrowIfCancellationRequested();
        Engine.ConnectedEngine? sentOn;
        lock (_gate)
        {
            _rooms.Add(room);
            sentOn = _connected ? _session : null;
        }

        try
        {
            var result = await RoomRequestAsync(RoomJoinEvent, room, timeout, cancellationToken).ConfigureAwait(false);
            if (!result.Ok)
            {
                Forget(room);
            }

            return result;
        }
        catch (Exception ex) when (ex is TimeoutException or EmitDroppedException or OperationCanceledException)
        {
            // Still on the connection the join went out on: the server did not answer, so the room is not ours.
            // Otherwise the connection dropped meanwhile and the reconnect re-joins (or already re-joined) it.
            bool sameConnection;
            lock (_gate)
            {
                sameConnection = sentOn is not null && _connected && ReferenceEquals(_session, sentOn);
            }

            if (sameConnection)
            {
                Forget(room);
            }

            throw;
        }
    }

    private void Forget(string room)
    {
        lock (_gate)
        {
            _rooms.Remove(room);
        }
    }

    /// <summary>Leaves <paramref name="room"/> (<c>room:leave</c> with an ack) and forgets it.</summary>
    public async Task<RoomResult> LeaveRoomAsync(string room, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(room);
        cancellationToken.ThrowIfCancellationRequested();
        Forget(room);
        return await RoomRequestAsync(RoomLeaveEvent, room, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Emits <paramref name="eventName"/> with an ack and records the round trip as the client's latency.</summary>
    public async Task<TimeSpan> MeasureLatencyAsync(string eventName, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var started = _client.Time.GetTimestamp();
        await EmitWithAckAsync(eventName, timeout, [_client.Time.GetUtcNow().ToUnixTimeMilliseconds()], cancellationToken).ConfigureAwait(false);
        var elapsed = _client.Time.GetElapsedTime(started);
        _client.RecordLatency(elapsed);
        return elapsed;
    }

    internal void SendAck(long id, object?[] args)
    {
        ConnectedEngineOrNull()?.Send(SocketPacketEncoder.EncodeAck(Namespace, id, args));
    }

    private Engine.ConnectedEngine? ConnectedEngineOrNull()
    {
        lock (_gate)
        {
            return _connected ? _session : null;
        }
    }

    private async Task<RoomResult> RoomRequestAsync(string eventName, string room, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var reply = await EmitWithAckAsync(eventName, timeout ?? _client.Options.Timeout, [room], cancellationToken).ConfigureAwait(false);
        return ParseRoomResult(reply);
    }

    private static RoomResult ParseRoomResult(EventArguments reply)
    {
        if (reply.Count == 0)
        {
            return new RoomResult(false, "no_answer");
        }

        var raw = reply.GetRaw(0);
        if (raw.ValueKind == JsonValueKind.Object)
        {
            var ok = raw.TryGetProperty("ok", out var okValue) && okValue.ValueKind == JsonValueKind.True;
            var error = raw.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            return new RoomResult(ok, ok ? null : error ?? "refused");
        }

        return new RoomResult(raw.ValueKind == JsonValueKind.True, raw.ValueKind == JsonValueKind.True ? null : "refused");
    }

    private async Task LogRejoinAsync(string room, PendingAck pending)
    {
        try
        {
            var reply = await pending.Task.WaitAsync(_client.Options.Timeout, _client.Time).ConfigureAwait(false);
            var result = ParseRoomResult(reply);
            if (!result.Ok)
            {
                Forget(room);
            }

            Log.RoomRejoined(_logger, Namespace, room, result.Ok, result.Error);
        }
        catch (Exception ex) when (ex is TimeoutException or EmitDroppedException)
        {
            Log.RoomRejoined(_logger, Namespace, room, false, ex.Message);
        }
        finally
        {
            _acks.TryRemove(pending.Id, out _);
        }
    }

    private PendingAck RegisterAck()
    {
        var pending = new PendingAck(Interlocked.Increment(ref _nextAckId));
        _acks[pending.Id] = pending;
        return pending;
    }

    private void Enqueue(EncodedPacket packet, PendingAck? pending, bool isVolatile)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        BufferedEmit? overflow = null;
        lock (_gate)
        {
            // Under the lock, so an emit cannot overtake the buffer flush done when the CONNECT reply arrives.
            if (_connected && _session is { } session && session.Send(packet))
            {
                return;
            }

            if (isVolatile || _client.Options.SendBufferCapacity == 0)
            {
                overflow = new BufferedEmit(packet, pending);
            }
            else
            {
                _sendBuffer.Enqueue(new BufferedEmit(packet, pending));
                if (_sendBuffer.Count > _client.Options.SendBufferCapacity)
                {
                    overflow = _sendBuffer.Dequeue();
                }
            }
        }

        if (overflow is not null)
        {
            Interlocked.Increment(ref _droppedEmits);
            _client.RecordDropped();
            overflow.Pending?.Fail(new EmitDroppedException($"Emit dropped on {Namespace}: not connected and the send buffer is full or the emit is volatile."));
            if (_client.Options.Debug)
            {
                Log.EmitDropped(_logger, Namespace, overflow.Packet.ToString());
            }
        }
    }

    private static void CheckEmit(string eventName, object?[] args)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        ArgumentNullException.ThrowIfNull(args);
        foreach (var arg in args)
        {
            if (arg is CancellationToken)
            {
                throw new ArgumentException("A CancellationToken was passed as an event argument; use the overload that takes object?[] args and a CancellationToken.", nameof(args));
            }
        }
    }

    private sealed record BufferedEmit(EncodedPacket Packet, PendingAck? Pending);

    private sealed class PendingAck
    {
        private readonly TaskCompletionSource<EventArguments> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public PendingAck(long id)
        {
            Id = id;
        }

        public long Id { get; }

        public Task<EventArguments> Task => _tcs.Task;

        public void Complete(EventArguments args) => _tcs.TrySetResult(args);

        public void Fail(Exception error) => _tcs.TrySetException(error);
    }
}
