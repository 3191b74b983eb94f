using System.Net.WebSockets;
using Bms.Realtime.Protocol;
using Bms.Realtime.Server.DirectWebSocketPath;
using Microsoft.Extensions.Logging;

namespace Bms.Realtime.Server.Engine;

/// <summary>
/// One Engine.IO v4 session: its transport (HTTP long-polling or WebSocket, with the upgrade between them), its
/// bounded send queue and its heartbeat. Thread-safe: any thread may send; one read loop per transport delivers
/// packets to the <see cref="IEngineSessionHandler"/>.
/// </summary>
public sealed partial class EngineSession
{
    private static readonly byte[] PingFrame = "2"u8.ToArray();
    private static readonly byte[] CloseFrame = "1"u8.ToArray();
    private static readonly byte[] NoopFrame = "6"u8.ToArray();

    // How long a WebSocket whose close frame was written waits for the client's answer before its read is abandoned.
    private static readonly TimeSpan CloseHandshakeGrace = TimeSpan.FromSeconds(1);

    private readonly EngineServer _server;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Queue<OutgoingFrame> _queue = new();
    private long _queuedBytes;
    private IEngineSessionHandler? _handler;
    private WebSocket? _webSocket;
    private bool _draining;
    private int _closed;

    // Heartbeat state, guarded by _lock. Timestamps from TimeProvider.GetTimestamp().
    private long _nextPingAt;
    private long _pongDeadline;
    private bool _awaitingPong;

    internal EngineSession(EngineServer server, string id, HandshakeRequest request, bool isWebSocket, ILogger logger)
    {
        _server = server;
        Id = id;
        Request = request;
        _logger = logger;
        IsWebSocket = isWebSocket;
        _nextPingAt = server.Time.GetTimestamp() + server.ToTicks(server.Options.PingInterval);
    }

    /// <summary>The session id (<c>sid</c>).</summary>
    public string Id { get; }

    /// <summary>The handshake request.</summary>
    public HandshakeRequest Request { get; }

    /// <summary>True once the session uses WebSocket (from the start or after an upgrade).</summary>
    public bool IsWebSocket { get; private set; }

    /// <summary>The current transport name: <c>polling</c> or <c>websocket</c>.</summary>
    public string TransportName => IsWebSocket ? "websocket" : "polling";

    /// <summary>True once the session has closed.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Frames waiting to be written.</summary>
    public int QueuedFrames
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Bytes of frame data waiting to be written (frames the transport is writing are not counted).</summary>
    public long QueuedBytes
    {
        get
        {
            lock (_lock)
            {
                return _queuedBytes;
            }
        }
    }

    /// <summary>Raised after any transport change (upgrade completed).</summary>
    public event Action<EngineSession>? Upgraded;

    internal void SetHandler(IEngineSessionHandler handler) => _handler = handler;

    /// <summary>
    /// Queues frames to be written in order (a packet and its attachments are queued together, so they never
    /// interleave with another emit). Returns false if the session is closed, or the frames were volatile and the
    /// transport was busy. Overflowing <see cref="Hosting.RealtimeServerOptions.MaxQueuedFrames"/> or
    /// <see cref="Hosting.RealtimeServerOptions.MaxQueuedBytes"/> closes the session (frames queued while the queue
    /// is empty are always accepted).
    /// </summary>
    public bool Send(ReadOnlySpan<OutgoingFrame> frames, bool isVolatile = false)
    {
        bool startDrain;
        DirectWebSocket? direct = null;
        DeferredWriter? deferredWriter = null;
        lock (_lock)
        {
            if (_closed != 0 || _closing)
            {
                return false;
            }

            if (isVolatile && (_queue.Count > 0 || _draining || (!IsWebSocket && _pollWaiter is null)))
            {
                return false;
            }

            long bytes = 0;
            foreach (var frame in frames)
            {
                bytes += frame.Data.Length;
            }

            var options = _server.Options;
            if (_queue.Count + frames.Length > options.MaxQueuedFrames
                || (_queue.Count > 0 && _queuedBytes + bytes > options.MaxQueuedBytes))
            {
                startDrain = false;
                goto overflow;
            }

            if (_direct is not null && !_draining && _queue.Count == 0 && ThreadPool.PendingWorkItemCount == 0)
            {
                // Nothing queued, no writer, and no other work waiting for a thread: this thread becomes the writer
                // (see SendInline). When work is waiting (the server is busy), the writer is queued behind that work
                // and writes every frame queued for this session by then in one send, which costs less per frame
                // than a send each.
                _draining = true;
                direct = _direct;
                startDrain = false;
            }
            else
            {
                foreach (var frame in frames)
                {
                    _queue.Enqueue(frame);
                }

                _queuedBytes += bytes;

                startDrain = SignalWriterLocked();
                if (startDrain && _direct is not null)
                {
                    deferredWriter = _deferredWriter ??= new DeferredWriter(this);
                    _writerDeferred = true;
                }
                else if (_writerDeferred && DeferredLimitReachedLocked())
                {
                    // The deferred writer has not started and enough has accumulated for a full send: this thread
                    // takes over as the writer (the deferred one finds nothing to do), so a burst from one emitter
                    // never queues up to the slow-client limits while the thread pool is busy.
                    _writerDeferred = false;
                    startDrain = true;
                }
            }
        }

        if (direct is not null)
        {
            SendInline(direct, frames);
        }
        else if (deferredWriter is not null)
        {
            ThreadPool.UnsafeQueueUserWorkItem(deferredWriter, preferLocal: false);
        }
        else if (startDrain)
        {
            _ = DrainAsync();
        }

        return true;

    overflow:
        Log.SendQueueOverflow(_logger, Id, _server.Options.MaxQueuedFrames, _server.Options.MaxQueuedBytes);
        Close(EngineCloseReason.TransportError, "send queue overflow", sendClosePacket: false);
        return false;
    }

    /// <summary>Queues one frame. See <see cref="Send(ReadOnlySpan{OutgoingFrame}, bool)"/>.</summary>
    public bool Send(OutgoingFrame frame, bool isVolatile = false) => Send([frame], isVolatile);

    /// <summary>
    /// Closes the session. With <paramref name="sendClosePacket"/> queued frames are flushed first and a close packet
    /// ends them. Idempotent; the handler's <see cref="IEngineSessionHandler.OnClose"/> runs once.
    /// </summary>
    public void Close(EngineCloseReason reason, string? description = null, bool sendClosePacket = true)
    {
        if (sendClosePacket && !IsClosed)
        {
            bool startDrain = false;
            bool deferred = false;
            lock (_lock)
            {
                if (!_closing && _closed == 0)
                {
                    _closing = true;
                    _queue.Enqueue(new OutgoingFrame(CloseFrame, false));
                    _queuedBytes += CloseFrame.Length;
                    if (IsWebSocket)
                    {
                        startDrain = SignalWriterLocked();
                        deferred = true;

                        // A client that stopped reading never lets the close through: like a missing pong, it gets
                        // the ping timeout to take its queued frames, then the session ends (and its connection is reset).
                        _lingerUntil = _server.Time.GetTimestamp() + _server.ToTicks(_server.Options.PingTimeout);
                    }
                    else if (_pollWaiter is not null)
                    {
                        _pollWaiter.TrySetResult(true);
                        deferred = true;
                    }
                    else
                    {
                        // Polling with no pending GET: the next GET (or the linger timeout) collects the close packet.
                        deferred = true;
                        _lingerUntil = _server.Time.GetTimestamp() + _server.ToTicks(TimeSpan.FromSeconds(2));
                    }

                    _closeReason = reason;
                    _closeDescription = description;
                }
                else
                {
                    return;
                }
            }

            if (startDrain)
            {
                _ = DrainAsync();
            }

            if (deferred)
            {
                NotifyClosed(reason, description);
                return;
            }
        }

        Terminate(reason, description);
    }

    /// <summary>
    /// Ends the session immediately: removes it, closes its transports, notifies the handler. <paramref name="clean"/>
    /// tells the transport's owner that nothing is left to deliver (the client closed, or the close was written), so
    /// the connection may close gracefully; otherwise it is reset.
    /// </summary>
    private void Terminate(EngineCloseReason reason, string? description, bool clean = false)
    {
        TaskCompletionSource<bool>? waiter;
        WebSocket? ws;
        WebSocket? probe;
        DirectWebSocket? direct;
        CancellationTokenSource? readAbort;
        lock (_lock)
        {
            if (_closed != 0)
            {
                return;
            }

            readAbort = _readAbort;
            direct = _direct;

            waiter = _pollWaiter;
            _pollWaiter = null;
            ws = _webSocket;
            probe = _probeSocket;
            _queue.Clear();
            _queuedBytes = 0;
            _endedCleanly = clean;

            // Record the grace for a poll racing the client's close before anyone can observe the session closed.
            if (reason == EngineCloseReason.TransportClose && waiter is null && !IsWebSocket)
            {
                _server.RememberClosedByClient(Id);
            }

            Volatile.Write(ref _closed, 1);
        }

        _server.Remove(this);
        waiter?.TrySetResult(false);
        if (clean && ws is { State: WebSocketState.CloseSent or WebSocketState.Closed })
        {
            // RFC 6455 7.1.1: the close frame is out; give the client a moment to answer it and read it before the
            // connection closes (aborting now would reset the connection, and the client might never see the frame).
            readAbort?.CancelAfter(CloseHandshakeGrace);
        }
        else
        {
            AbortSocket(ws);
            readAbort?.Cancel();
        }

        AbortSocket(probe);
        direct?.Abort();
        NotifyClosed(reason, description);
    }

    private void NotifyClosed(EngineCloseReason reason, string? description)
    {
        if (Interlocked.Exchange(ref _notified, 1) != 0)
        {
            return;
        }

        Log.SessionClosed(_logger, Id, reason, description);
        try
        {
            _handler?.OnClose(this, reason, description);
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(_logger, Id, ex);
        }
    }

    private int _notified;
    private bool _endedCleanly;
    private bool _closing;
    private long _lingerUntil;
    private EngineCloseReason _closeReason;
    private string? _closeDescription;

    /// <summary>Handles one packet read from the active transport.</summary>
    internal void OnPacket(in EnginePacket packet)
    {
        switch (packet.Type)
        {
            case EnginePacketType.Pong:
                lock (_lock)
                {
                    _awaitingPong = false;
                    _nextPingAt = _server.Time.GetTimestamp() + _server.ToTicks(_server.Options.PingInterval);
                }

                break;
            case EnginePacketType.Message:
                try
                {
                    _handler?.OnMessage(this, packet);
                }
                catch (ProtocolException ex)
                {
                    // As the reference server: what was already queued (e.g. a DISCONNECT) is flushed before closing.
                    Log.ProtocolViolation(_logger, Id, ex.Message);
                    Close(EngineCloseReason.ParseError, ex.Message, sendClosePacket: true);
                }

                break;
            case EnginePacketType.Close:
                Terminate(EngineCloseReason.TransportClose, "client sent close", clean: true);
                break;
            case EnginePacketType.Ping:
                // EIO4: heartbeats go from server to client only.
                Log.ProtocolViolation(_logger, Id, "invalid heartbeat direction");
                Terminate(EngineCloseReason.TransportError, "invalid heartbeat direction");
                break;
            case EnginePacketType.Noop:
            case EnginePacketType.Upgrade:
                break;
            default:
                Log.ProtocolViolation(_logger, Id, "unexpected packet " + packet.Type);
                Terminate(EngineCloseReason.ParseError, "unexpected packet");
                break;
        }
    }

    /// <summary>Heartbeat and timeouts, driven by the server's single timer.</summary>
    /// <returns>True when the tick wrote to the session (a ping) or closed it.</returns>
    internal bool OnTick(long now)
    {
        if (IsClosed)
        {
            return false;
        }

        bool sendPing = false;
        lock (_lock)
        {
            if (_closing)
            {
                if (_lingerUntil != 0 && now >= _lingerUntil)
                {
                    sendPing = false;
                    goto terminate;
                }

                return false;
            }

            if (_awaitingPong)
            {
                if (now >= _pongDeadline)
                {
                    goto timeout;
                }
            }
            else if (now >= _nextPingAt)
            {
                _awaitingPong = true;
                // The deadline counts from when the ping was due, not from this (possibly late) tick.
                _pongDeadline = _nextPingAt + _server.ToTicks(_server.Options.PingTimeout);
                sendPing = true;
            }

            if (_probeSocket is not null && now >= _upgradeDeadline)
            {
                goto upgradeTimeout;
            }
        }

        if (sendPing)
        {
            Send(new OutgoingFrame(PingFrame, false));
        }

        _handler?.OnTick(this, now);
        return sendPing;

    timeout:
        Log.PingTimeout(_logger, Id);
        Terminate(EngineCloseReason.PingTimeout, null);
        return true;

    terminate:
        Terminate(_closeReason, _closeDescription);
        return true;

    upgradeTimeout:
        CancelUpgrade("upgrade timeout");
        return true;
    }

    /// <summary>Caller holds _lock. Wakes the writer; returns true when a WebSocket drain must be started.</summary>
    private bool SignalWriterLocked()
    {
        if (IsWebSocket)
        {
            if (_draining || (_webSocket is null && _direct is null))
            {
                return false;
            }

            _draining = true;
            return true;
        }

        var waiter = _pollWaiter;
        if (waiter is not null && !_upgrading)
        {
            _pollWaiter = null;
            waiter.TrySetResult(true);
        }

        return false;
    }

    private static void AbortSocket(WebSocket? socket)
    {
        if (socket is null)
        {
            return;
        }

        try
        {
            socket.Abort();
        }
        catch (Exception)
        {
            // Already closed.
        }
    }
}
