using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Bms.Realtime.Protocol;
using Microsoft.Extensions.Logging;

namespace Bms.Realtime.Client.Engine;

/// <summary>
/// One Engine.IO v4 session (socket.io-client's engine <c>Socket</c>): handshake over WebSocket or HTTP long-polling,
/// upgrade from polling to WebSocket, the heartbeat watchdog (no server ping within pingInterval + pingTimeout closes
/// the session as "ping timeout"), and one writer so a packet and its binary attachments never interleave with
/// another. A session is never reopened: the client creates a new one per (re)connect. Thread-safe.
/// </summary>
internal sealed partial class EngineConnection : IAsyncDisposable
{
    private readonly WebSocketClientOptions _options;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IEngineListener _listener;
    private readonly EngineCounters _counters;
    private readonly Channel<EnginePacket[]> _outgoing =
        Channel.CreateUnbounded<EnginePacket[]>(new UnboundedChannelOptions { SingleReader = true });

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _closeCts = new();
    private readonly TaskCompletionSource<EngineCloseInfo> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITimer? _heartbeat;
    private ClientWebSocket? _webSocket;
    private Task? _readLoop;
    private Task? _writeLoop;
    private Task? _upgrade;
    private string[] _upgrades = [];
    private int _closing;
    private volatile bool _pausePolling;
    private long _lastPingUtcTicks;

    public EngineConnection(
        WebSocketClientOptions options,
        HttpClient http,
        TimeProvider time,
        ILogger logger,
        IEngineListener listener,
        EngineCounters counters)
    {
        _options = options;
        _http = http;
        _time = time;
        _logger = logger;
        _listener = listener;
        _counters = counters;
    }

    /// <summary>The engine session id from the open packet.</summary>
    public string Sid { get; private set; } = string.Empty;

    public TimeSpan PingInterval { get; private set; }

    public TimeSpan PingTimeout { get; private set; }

    public int MaxPayload { get; private set; } = 1_000_000;

    /// <summary>The transport in use (changes once, on upgrade).</summary>
    public TransportKind Transport { get; private set; }

    /// <summary>Round trip of the handshake (request sent to open packet received).</summary>
    public TimeSpan HandshakeDuration { get; private set; }

    public DateTimeOffset? LastPingAt
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastPingUtcTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>Completes once, when the session is closed for any reason.</summary>
    public Task<EngineCloseInfo> Closed => _closed.Task;

    public bool IsClosed => Volatile.Read(ref _closing) == 1;

    /// <summary>Performs the handshake and starts the read, write and heartbeat machinery.</summary>
    /// <exception cref="EngineHandshakeException">HTTP error or no open packet.</exception>
    /// <exception cref="TimeoutException">No open packet within <see cref="WebSocketClientOptions.Timeout"/>.</exception>
    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token, _closeCts.Token);
        var token = linked.Token;
        Transport = _options.Transports[0];
        var started = _time.GetTimestamp();
        try
        {
            if (Transport == TransportKind.WebSocket)
            {
                _webSocket = await ConnectWebSocketAsync(sid: null, token).ConfigureAwait(false);
                var open = await ReceiveFrameAsync(_webSocket, token).ConfigureAwait(false);
                HandleOpen(open);
            }
            else
            {
                await PollingHandshakeAsync(token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No Engine.IO open packet within {_options.Timeout}.");
        }

        HandshakeDuration = _time.GetElapsedTime(started);
        Log.Opened(_logger, Sid, Transport, PingInterval, PingTimeout);
        _heartbeat = _time.CreateTimer(static state => ((EngineConnection)state!).OnHeartbeatTimeout(), this, PingInterval + PingTimeout, System.Threading.Timeout.InfiniteTimeSpan);
        _writeLoop = Task.Run(WriteLoopAsync, CancellationToken.None);
        if (Transport == TransportKind.WebSocket)
        {
            var ws = _webSocket!;
            _readLoop = Task.Run(() => WebSocketReadLoopAsync(ws), CancellationToken.None);
        }
        else
        {
            _readLoop = Task.Run(PollLoopAsync, CancellationToken.None);
            if (_options.Transports.Contains(TransportKind.WebSocket) && _upgrades.Contains("websocket"))
            {
                _upgrade = Task.Run(UpgradeAsync, CancellationToken.None);
            }
        }
    }

    /// <summary>Queues one Socket.IO packet (text + attachments) for the writer. False when the session is closed.</summary>
    public bool Send(EncodedPacket packet)
    {
        var frames = new EnginePacket[1 + packet.Attachments.Count];
        frames[0] = EnginePacket.Text(EnginePacketType.Message, packet.Text);
        for (var i = 0; i < packet.Attachments.Count; i++)
        {
            frames[i + 1] = EnginePacket.Binary(packet.Attachments[i]);
        }

        if (_options.Debug)
        {
            Log.PacketOut(_logger, Sid, packet.ToString(), packet.Attachments.Count);
        }

        return _outgoing.Writer.TryWrite(frames);
    }

    /// <summary>Closes the session (idempotent). With <paramref name="sendClose"/> a close packet is sent first (best effort, 1 s).</summary>
    public async Task CloseAsync(ClientDisconnectReason reason, Exception? error, bool sendClose)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 1)
        {
            return;
        }

        _heartbeat?.Dispose();
        if (sendClose)
        {
            await SendCloseBestEffortAsync().ConfigureAwait(false);
        }

        Log.Closed(_logger, Sid, reason, error?.Message);
        _closeCts.Cancel();
        _outgoing.Writer.TryComplete();
        _webSocket?.Abort();
        _closed.TrySetResult(new EngineCloseInfo(reason, error));
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync(ClientDisconnectReason.IoClientDisconnect, null, sendClose: false).ConfigureAwait(false);
        foreach (var task in new[] { _readLoop, _writeLoop, _upgrade })
        {
            if (task is not null)
            {
                try
                {
                    await task.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // The loops report their own errors through CloseAsync; disposal only waits for them.
                }
            }
        }

        _webSocket?.Dispose();
        _closeCts.Dispose();
    }

    private void OnHeartbeatTimeout()
    {
        // EIO4: a client treats "no ping for pingInterval + pingTimeout" as a dead connection.
        _ = CloseAsync(ClientDisconnectReason.PingTimeout, new TimeoutException("ping timeout"), sendClose: false);
    }

    private void HandlePacket(EnginePacket packet)
    {
        if (_options.Debug && packet.Type != EnginePacketType.Message)
        {
            Log.EnginePacketIn(_logger, Sid, packet.ToString());
        }

        switch (packet.Type)
        {
            case EnginePacketType.Ping:
                Interlocked.Exchange(ref _lastPingUtcTicks, _time.GetUtcNow().UtcTicks);
                _heartbeat?.Change(PingInterval + PingTimeout, System.Threading.Timeout.InfiniteTimeSpan);
                _outgoing.Writer.TryWrite([EnginePacket.Text(EnginePacketType.Pong, packet.Data.ToArray())]);
                break;
            case EnginePacketType.Message:
                _listener.OnMessage(this, packet);
                break;
            case EnginePacketType.Close:
                _ = CloseAsync(ClientDisconnectReason.TransportClose, null, sendClose: false);
                break;
            default:
                // Noop (answers polls during upgrade), stray Open/Upgrade/Pong: nothing to do.
                break;
        }
    }

    private void HandleOpen(EnginePacket open)
    {
        if (open.Type != EnginePacketType.Open || open.IsBinary)
        {
            throw new EngineHandshakeException($"Expected an Engine.IO open packet, got {open.Type}.");
        }

        using var document = JsonDocument.Parse(open.Data);
        var root = document.RootElement;
        Sid = root.GetProperty("sid").GetString() ?? throw new EngineHandshakeException("Open packet without sid.");
        PingInterval = TimeSpan.FromMilliseconds(root.GetProperty("pingInterval").GetDouble());
        PingTimeout = TimeSpan.FromMilliseconds(root.GetProperty("pingTimeout").GetDouble());
        if (root.TryGetProperty("maxPayload", out var max) && max.TryGetInt32(out var maxPayload))
        {
            MaxPayload = maxPayload;
        }

        if (root.TryGetProperty("upgrades", out var upgrades) && upgrades.ValueKind == JsonValueKind.Array)
        {
            _upgrades = [.. upgrades.EnumerateArray().Select(u => u.GetString() ?? string.Empty)];
        }
    }

    private async Task WriteLoopAsync()
    {
        var token = _closeCts.Token;
        var batch = new List<EnginePacket>();
        try
        {
            while (await _outgoing.Reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < 1024 && _outgoing.Reader.TryRead(out var frames))
                {
                    batch.AddRange(frames);
                }

                await _writeLock.WaitAsync(token).ConfigureAwait(false);
                try
                {
                    if (Transport == TransportKind.WebSocket)
                    {
                        foreach (var packet in batch)
                        {
                            await SendFrameAsync(_webSocket!, packet, token).ConfigureAwait(false);
                        }
                    }
                    else
                    {
                        await PostAsync(batch, token).ConfigureAwait(false);
                    }
                }
                finally
                {
                    _writeLock.Release();
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            await CloseAsync(ClassifyTransportError(ex), ex, sendClose: false).ConfigureAwait(false);
        }
    }

    private async Task SendCloseBestEffortAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await _writeLock.WaitAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                var close = EnginePacket.Text(EnginePacketType.Close);
                if (Transport == TransportKind.WebSocket && _webSocket is { State: WebSocketState.Open } ws)
                {
                    await SendFrameAsync(ws, close, timeout.Token).ConfigureAwait(false);
                    await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
                }
                else if (Transport == TransportKind.Polling && Sid.Length > 0)
                {
                    await PostAsync([close], timeout.Token).ConfigureAwait(false);
                }
            }
            finally
            {
                _writeLock.Release();
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or HttpRequestException or ObjectDisposedException or InvalidOperationException)
        {
            // Best effort: the peer may already be gone.
        }
    }

    private static ClientDisconnectReason ClassifyTransportError(Exception ex) => ex switch
    {
        ProtocolException or JsonException => ClientDisconnectReason.ParseError,
        WebSocketException { WebSocketErrorCode: WebSocketError.ConnectionClosedPrematurely } => ClientDisconnectReason.TransportClose,
        _ => ClientDisconnectReason.TransportError,
    };

    private Uri BuildUri(TransportKind transport, string? sid)
    {
        var url = _options.Url!;
        var secure = url.Scheme is "https" or "wss";
        var scheme = transport == TransportKind.WebSocket ? (secure ? "wss" : "ws") : (secure ? "https" : "http");
        var path = "/" + _options.Path.Trim('/') + "/";
        var query = new StringBuilder("EIO=4&transport=").Append(transport == TransportKind.WebSocket ? "websocket" : "polling");
        if (sid is not null)
        {
            query.Append("&sid=").Append(Uri.EscapeDataString(sid));
        }

        if (transport == TransportKind.Polling)
        {
            // Cache buster, as socket.io-client's "t" parameter.
            query.Append("&t=").Append(_time.GetTimestamp().ToString("x", System.Globalization.CultureInfo.InvariantCulture));
        }

        foreach (var (key, value) in _options.Query)
        {
            query.Append('&').Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return new UriBuilder(scheme, url.Host, url.Port, path) { Query = query.ToString() }.Uri;
    }
}
