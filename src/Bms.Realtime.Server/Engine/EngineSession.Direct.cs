using System.Buffers;
using System.Net.Sockets;
using Bms.Realtime.Protocol;
using Bms.Realtime.Server.DirectWebSocketPath;
using FrameEvent = Bms.Realtime.Server.DirectWebSocketPath.DirectWebSocket.FrameEvent;

namespace Bms.Realtime.Server.Engine;

/// <summary>
/// The direct WebSocket path with its own framing (<see cref="DirectWebSocket"/>). Sending: when nothing is queued,
/// no writer runs and no work waits for the thread pool, the sending thread writes the frame to the socket itself
/// (non-blocking); when a writer runs, the kernel did not take everything, or the server is busy (work waiting for
/// the thread pool), the frame is queued and the asynchronous writer writes the queue in batches
/// (<see cref="DrainDirectAsync"/>; started from the thread pool's queue when the server is busy, so it finds more
/// to write at once). The writer flag <c>_draining</c> makes either one the only writer at a time.
/// </summary>
public sealed partial class EngineSession
{
    // The asynchronous writer copies queued frames into batches of at most this size (one send each).
    private const int DirectBatchSize = 32 * 1024;

    private DirectWebSocket? _direct;

    // Runs the writer of a direct session from the thread pool's queue (created on first use, then reused).
    private DeferredWriter? _deferredWriter;

    // True from the moment a deferred writer is queued until it starts (or an emitting thread took over from it).
    private bool _writerDeferred;

    // The status of the close frame a closing direct session writes (the client's own status echoed, or the reason
    // the server fails the connection); 0 means 1000.
    private ushort _closeStatus;

    /// <summary>Attaches the direct connection of a session opened on the direct WebSocket path.</summary>
    internal void AttachDirect(DirectWebSocket direct)
    {
        lock (_lock)
        {
            _direct = direct;
        }
    }

    /// <summary>
    /// Runs the read loop of a direct session until it ends. Returns true when it ended cleanly (see
    /// <see cref="RunWebSocketAsync"/>).
    /// </summary>
    internal async Task<bool> RunDirectAsync(DirectWebSocket direct)
    {
        var input = direct.Input;
        var reason = EngineCloseReason.TransportError;
        string? description = "connection closed";
        var closing = false;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                if (result.IsCanceled)
                {
                    input.AdvanceTo(buffer.Start);
                    break;
                }

                if (closing)
                {
                    // RFC 6455 5.5.1: after a close frame, data is not read; wait for the end of the connection.
                    input.AdvanceTo(buffer.End);
                }
                else
                {
                    closing = ReadFrames(direct, ref buffer);
                    if (IsClosed)
                    {
                        input.AdvanceTo(buffer.Start);
                        break;
                    }

                    input.AdvanceTo(buffer.Start, buffer.End);
                }

                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (ProtocolException ex)
        {
            Log.ProtocolViolation(_logger, Id, ex.Message);
            reason = EngineCloseReason.ParseError;
            description = ex.Message;
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException or SocketException)
        {
            description = ex.Message;
        }
        finally
        {
            direct.ReleaseAll();
        }

        if (!IsClosed)
        {
            bool closeReceived;
            lock (_lock)
            {
                closeReceived = _closing && _closeReason == EngineCloseReason.TransportClose && _closeStatus != 0;
                if (_closing)
                {
                    reason = _closeReason;
                    description = _closeDescription;
                }
            }

            // The connection ended (or the read failed) before the session did.
            Terminate(reason, description, clean: closeReceived);
        }

        return EndedCleanlyOn(probing: false);
    }

    /// <summary>Dispatches the events in <paramref name="buffer"/>; true once a close frame was received or sent.</summary>
    private bool ReadFrames(DirectWebSocket direct, ref ReadOnlySequence<byte> buffer)
    {
        while (true)
        {
            switch (direct.ReadNext(ref buffer, out var payload, out var isBinary, out var status))
            {
                case FrameEvent.NeedMore:
                    return false;
                case FrameEvent.Message:
                    try
                    {
                        // Text packets point into the input (or the message buffer); the handler is done with them
                        // once it returns. Binary packets are kept by the decoder, so they get their own array.
                        OnPacket(isBinary ? EnginePacketParser.ParseBinary(payload.ToArray()) : EnginePacketParser.ParseText(payload));
                    }
                    finally
                    {
                        direct.ReleaseMessage();
                    }

                    if (IsClosed)
                    {
                        return true;
                    }

                    break;
                case FrameEvent.Ping:
                    Send(new OutgoingFrame(payload, WebSocketFraming.Pong));
                    break;
                case FrameEvent.Close:
                    BeginDirectClose(status == 0 ? WebSocketFraming.NormalClosure : status, EngineCloseReason.TransportClose, "transport closed");
                    return true;
                default:
                    var tooBig = status == WebSocketFraming.MessageTooBig;
                    var detail = tooBig ? "message larger than maxPayload" : status == WebSocketFraming.InvalidPayloadData ? "invalid UTF-8" : "WebSocket protocol error";
                    Log.ProtocolViolation(_logger, Id, detail);
                    BeginDirectClose(status, tooBig ? EngineCloseReason.TransportError : EngineCloseReason.ParseError, tooBig ? "payload too large" : detail);
                    return true;
            }
        }
    }

    /// <summary>
    /// Starts the closing handshake of a direct session: what is queued is dropped, the writer writes a close frame
    /// with <paramref name="status"/> and ends the session. A client that does not read it gets the ping timeout.
    /// </summary>
    private void BeginDirectClose(ushort status, EngineCloseReason reason, string description)
    {
        lock (_lock)
        {
            if (_closed != 0 || _closing)
            {
                return;
            }

            _closing = true;
            _queue.Clear();
            _queuedBytes = 0;
            _closeStatus = status;
            _closeReason = reason;
            _closeDescription = description;
            _lingerUntil = _server.Time.GetTimestamp() + _server.ToTicks(_server.Options.PingTimeout);
            if (_draining)
            {
                // The running writer (inline or queued) finds _closing when it is done and writes the close frame.
                return;
            }

            _draining = true;
        }

        _ = DrainAsync();
    }

    /// <summary>The sending thread writes the frames itself; what the kernel does not take goes to the queued writer.</summary>
    private void SendInline(DirectWebSocket direct, ReadOnlySpan<OutgoingFrame> frames)
    {
        bool drain;
        try
        {
            var all = direct.TrySend(frames);
            lock (_lock)
            {
                // Frames queued meanwhile (behind this writer), a close, or bytes the kernel did not take.
                drain = _closed == 0 && (!all || _queue.Count > 0 || _closing);
                if (!drain)
                {
                    _draining = false;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            lock (_lock)
            {
                _draining = false;
            }

            Terminate(EngineCloseReason.TransportError, ex.Message);
            return;
        }

        if (drain)
        {
            _ = DrainDirectAsync(direct);
        }
    }

    /// <summary>
    /// The writer of a direct session, started from the thread pool's queue when the server is busy: by the time it
    /// runs, the frames queued for the session since then go out with it in one send.
    /// </summary>
    private sealed class DeferredWriter(EngineSession session) : IThreadPoolWorkItem
    {
        public void Execute()
        {
            lock (session._lock)
            {
                if (!session._writerDeferred)
                {
                    // An emitting thread took over as the writer meanwhile.
                    return;
                }

                session._writerDeferred = false;
            }

            _ = session.DrainAsync();
        }
    }

    /// <summary>
    /// True when what waits for a deferred writer fills a send (<see cref="DirectBatchSize"/> bytes or 32 frames) or
    /// half of either slow-client limit.
    /// </summary>
    private bool DeferredLimitReachedLocked()
    {
        var options = _server.Options;
        return _queue.Count >= Math.Min(32, Math.Max(1, options.MaxQueuedFrames / 2))
            || _queuedBytes >= Math.Min(DirectBatchSize, options.MaxQueuedBytes / 2);
    }

    private Task DrainAsync() => _direct is { } direct ? DrainDirectAsync(direct) : DrainWebSocketAsync();

    private async Task DrainDirectAsync(DirectWebSocket direct)
    {
        byte[]? batch = null;
        try
        {
            while (true)
            {
                if (direct.HasPending)
                {
                    await direct.FlushPendingAsync().ConfigureAwait(false);
                }

                var length = 0;
                var large = default(OutgoingFrame);
                var hasLarge = false;
                bool finish;
                lock (_lock)
                {
                    if (_closed != 0)
                    {
                        _draining = false;
                        return;
                    }

                    // Coalesce: everything queued (up to a batch) goes out in one send.
                    while (_queue.TryPeek(out var frame))
                    {
                        var size = DirectWebSocket.FrameSize(frame);
                        if (size > DirectBatchSize)
                        {
                            if (length == 0)
                            {
                                _queue.Dequeue();
                                _queuedBytes -= frame.Data.Length;
                                large = frame;
                                hasLarge = true;
                            }

                            break;
                        }

                        if (length + size > DirectBatchSize)
                        {
                            break;
                        }

                        batch ??= ArrayPool<byte>.Shared.Rent(DirectBatchSize);
                        length += DirectWebSocket.WriteFrame(batch.AsSpan(length), frame);
                        _queue.Dequeue();
                        _queuedBytes -= frame.Data.Length;
                    }

                    finish = length == 0 && !hasLarge && _closing;
                    if (length == 0 && !hasLarge && !finish)
                    {
                        _draining = false;
                        return;
                    }
                }

                if (finish)
                {
                    var written = await WriteCloseQuietlyAsync(direct, _closeStatus == 0 ? WebSocketFraming.NormalClosure : _closeStatus).ConfigureAwait(false);
                    Terminate(_closeReason, _closeDescription, clean: written);
                    return;
                }

                if (hasLarge)
                {
                    if (!direct.TrySend([large]))
                    {
                        await direct.FlushPendingAsync().ConfigureAwait(false);
                    }
                }
                else
                {
                    await direct.SendAsync(batch.AsMemory(0, length)).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            lock (_lock)
            {
                _draining = false;
            }

            Terminate(EngineCloseReason.TransportError, ex.Message);
        }
        finally
        {
            if (batch is not null)
            {
                ArrayPool<byte>.Shared.Return(batch);
            }
        }
    }

    /// <summary>Writes a close frame within one second; false when it could not be written.</summary>
    private static async Task<bool> WriteCloseQuietlyAsync(DirectWebSocket direct, ushort status)
    {
        try
        {
            await direct.SendCloseAsync(status).AsTask().WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or IOException or TimeoutException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer is gone (or stopped reading); nothing more to say.
            return false;
        }
    }
}
