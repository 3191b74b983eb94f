using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Bms.Realtime.Protocol;
using Bms.Realtime.Server.Hosting;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Bms.Realtime.Server.Engine;

/// <summary>
/// The Engine.IO v4 server: answers handshakes, routes polling requests and WebSockets to their sessions, and drives
/// every session's heartbeat from one timer (no per-session timers). Thread-safe.
/// </summary>
public sealed partial class EngineServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, EngineSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _closedByClient = new(StringComparer.Ordinal);
    private readonly Func<EngineSession, IEngineSessionHandler> _handlerFactory;
    private readonly ILogger _logger;
    private readonly ILogger<EngineSession> _sessionLogger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _heartbeat;

    /// <summary>Creates an Engine.IO server whose sessions are handled by handlers from <paramref name="handlerFactory"/>.</summary>
    public EngineServer(RealtimeServerOptions options, Func<EngineSession, IEngineSessionHandler> handlerFactory, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handlerFactory);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        Options = options;
        Time = timeProvider ?? TimeProvider.System;
        _handlerFactory = handlerFactory;
        _logger = loggerFactory.CreateLogger<EngineServer>();
        _sessionLogger = loggerFactory.CreateLogger<EngineSession>();
        _heartbeat = RunHeartbeatAsync(_stopping.Token);
    }

    /// <summary>The options in force.</summary>
    public RealtimeServerOptions Options { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>Open sessions.</summary>
    public int SessionCount => _sessions.Count;

    /// <summary>Raised when a session opens (after its handler is attached).</summary>
    public event Action<EngineSession>? SessionOpened;

    /// <summary>Looks up an open session.</summary>
    public bool TryGetSession(string sid, out EngineSession? session)
    {
        var found = _sessions.TryGetValue(sid, out var s);
        session = s;
        return found;
    }

    /// <summary>Handles one HTTP request to the Engine.IO endpoint.</summary>
    public async Task HandleRequestAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        ApplyCors(context);
        if (HttpMethods.IsOptions(request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        var transport = request.Query["transport"].ToString();
        var isWebSocketRequest = context.WebSockets.IsWebSocketRequest;
        if (!((transport == "polling" && Options.AllowPolling) || (transport == "websocket" && Options.AllowWebSocket)))
        {
            Log.BadRequest(_logger, "unknown transport", transport);
            await WriteErrorAsync(context, EngineErrorCode.UnknownTransport).ConfigureAwait(false);
            return;
        }

        var sid = request.Query["sid"].ToString();
        if (sid.Length > 0)
        {
            await HandleSessionRequestAsync(context, sid, transport, isWebSocketRequest).ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsGet(request.Method))
        {
            await WriteErrorAsync(context, EngineErrorCode.BadHandshakeMethod).ConfigureAwait(false);
            return;
        }

        if (transport == "websocket" && !isWebSocketRequest)
        {
            await WriteErrorAsync(context, EngineErrorCode.BadRequest).ConfigureAwait(false);
            return;
        }

        if (request.Query["EIO"].ToString() != "4")
        {
            await WriteErrorAsync(context, EngineErrorCode.UnsupportedProtocolVersion).ConfigureAwait(false);
            return;
        }

        if (Options.AllowRequest is { } allow && !await allow(context).ConfigureAwait(false))
        {
            await WriteErrorAsync(context, EngineErrorCode.Forbidden).ConfigureAwait(false);
            return;
        }

        await HandshakeAsync(context, transport == "websocket").ConfigureAwait(false);
    }

    private async Task HandleSessionRequestAsync(HttpContext context, string sid, string transport, bool isWebSocketRequest)
    {
        if (_sessions.TryGetValue(sid, out var session))
        {
            // Deadlines are checked on every request too, so an expired session is never served late.
            session.OnTick(Time.GetTimestamp());
        }

        if (session is null || session.IsClosed)
        {
            if (transport == "polling" && HttpMethods.IsGet(context.Request.Method) && _closedByClient.TryRemove(sid, out var until) && until > Time.GetTimestamp())
            {
                // The client's close packet overtook its own pending poll: answer that poll as if it had been waiting.
                await WriteNoopAsync(context).ConfigureAwait(false);
                return;
            }

            Log.BadRequest(_logger, "unknown sid", sid);
            await WriteErrorAsync(context, EngineErrorCode.UnknownSid).ConfigureAwait(false);
            return;
        }

        if (transport == "polling" && session.IsUpgrading)
        {
            // A poll racing the client's upgrade packet: give the upgrade a moment to land before answering.
            await session.WaitForUpgradeAsync(TimeSpan.FromMilliseconds(100)).ConfigureAwait(false);
        }

        if (transport == "websocket")
        {
            if (!isWebSocketRequest)
            {
                await WriteErrorAsync(context, EngineErrorCode.BadRequest).ConfigureAwait(false);
                return;
            }

            var webSocket = await AcceptWebSocketAsync(context).ConfigureAwait(false);
            if (!Options.AllowUpgrades || !session.TryBeginUpgrade(webSocket))
            {
                // A second WebSocket for a session that already upgraded (or is upgrading) is closed at once.
                Log.BadRequest(_logger, "duplicate upgrade", sid);
                await CloseQuietlyAsync(webSocket).ConfigureAwait(false);
                return;
            }

            var clean = await session.RunWebSocketAsync(webSocket, isUpgrade: true).ConfigureAwait(false);
            ReleaseConnection(context, clean);
            return;
        }

        if (session.IsWebSocket)
        {
            // The session moved to WebSocket: polling with its sid is a transport mismatch.
            await WriteErrorAsync(context, EngineErrorCode.BadRequest).ConfigureAwait(false);
            return;
        }

        if (HttpMethods.IsGet(context.Request.Method))
        {
            await session.HandlePollAsync(context).ConfigureAwait(false);
        }
        else if (HttpMethods.IsPost(context.Request.Method))
        {
            await session.HandlePostAsync(context).ConfigureAwait(false);
        }
        else
        {
            await WriteErrorAsync(context, EngineErrorCode.BadRequest).ConfigureAwait(false);
        }
    }

    private async Task HandshakeAsync(HttpContext context, bool isWebSocket)
    {
        var sid = NewId();
        var session = new EngineSession(this, sid, new HandshakeRequest(context, Time.GetUtcNow()), isWebSocket, _sessionLogger);
        var open = EnginePacketParser.ToTextFrame(EnginePacketType.Open, OpenPayload(sid, isWebSocket));

        if (isWebSocket)
        {
            var webSocket = await AcceptWebSocketAsync(context).ConfigureAwait(false);
            var clean = await RunWebSocketSessionAsync(session, webSocket, open).ConfigureAwait(false);
            ReleaseConnection(context, clean);
            return;
        }

        Register(session);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/plain; charset=UTF-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentLength = open.Length;
        await context.Response.Body.WriteAsync(open, context.RequestAborted).ConfigureAwait(false);
        SessionOpened?.Invoke(session);
    }

    /// <summary>
    /// Runs a session opened on the direct WebSocket path (a Kestrel connection middleware performed the RFC 6455
    /// handshake; no HTTP request exists). The returned task completes when the session ends. Not async, so an idle
    /// session keeps no extra state machine alive. Like every session it is closed with "server shutting down" when
    /// the application starts stopping (the hosted service of <c>AddBmsRealtime</c>), before Kestrel stops. Its result
    /// tells whether the session ended cleanly (see <see cref="DirectWebSocketPath.TransportRelease"/>).
    /// </summary>
    internal Task<bool> RunDirectWebSocketAsync(System.Net.WebSockets.WebSocket webSocket, HandshakeRequest request)
    {
        var sid = NewId();
        var session = new EngineSession(this, sid, request, isWebSocket: true, _sessionLogger);
        var open = EnginePacketParser.ToTextFrame(EnginePacketType.Open, OpenPayload(sid, isWebSocket: true));
        return RunWebSocketSessionAsync(session, webSocket, open);
    }

    /// <summary>
    /// Runs a session opened on the direct WebSocket path with the server's own framing (see
    /// <see cref="Hosting.RealtimeServerOptions.DirectWebSocketFraming"/>). As
    /// <see cref="RunDirectWebSocketAsync(System.Net.WebSockets.WebSocket, HandshakeRequest)"/> otherwise.
    /// </summary>
    internal Task<bool> RunDirectWebSocketAsync(DirectWebSocketPath.DirectWebSocket direct, HandshakeRequest request)
    {
        var sid = NewId();
        var session = new EngineSession(this, sid, request, isWebSocket: true, _sessionLogger);
        var open = EnginePacketParser.ToTextFrame(EnginePacketType.Open, OpenPayload(sid, isWebSocket: true));
        session.AttachDirect(direct);
        Register(session);
        session.Send(new OutgoingFrame(open, false));
        SessionOpened?.Invoke(session);
        return session.RunDirectAsync(direct);
    }

    private Task<bool> RunWebSocketSessionAsync(EngineSession session, System.Net.WebSockets.WebSocket webSocket, byte[] open)
    {
        session.AttachWebSocket(webSocket);
        Register(session);
        session.Send(new OutgoingFrame(open, false));
        SessionOpened?.Invoke(session);
        return session.RunWebSocketAsync(webSocket, isUpgrade: false);
    }

    /// <summary>
    /// Lets go of the TCP connection under a WebSocket request whose session ended: reset at once after an unclean
    /// end; after a clean one Kestrel closes it gracefully, and it is reset if still open after a grace period (the
    /// request's context is not touched then: it is recycled once the request returns).
    /// </summary>
    private void ReleaseConnection(HttpContext context, bool clean)
    {
        if (!HttpProtocol.IsHttp11(context.Request.Protocol))
        {
            // An HTTP/2 WebSocket is one stream of a shared connection: Kestrel ends the stream, the connection stays.
            return;
        }

        var socket = context.Features.Get<IConnectionSocketFeature>()?.Socket;
        DirectWebSocketPath.TransportRelease.Release(socket, clean, clean ? static () => { } : context.Abort, Time);
    }

    /// <summary>
    /// The <c>Access-Control-Allow-Origin</c> value for <paramref name="origin"/>, or null for no CORS headers (the rule
    /// of <c>ApplyCors</c>). An origin listed by name is echoed, with credentials when
    /// <see cref="RealtimeCorsOptions.AllowCredentials"/> is on; any other origin admitted only by <c>*</c> gets the
    /// literal <c>*</c> and never credentials (the Fetch standard forbids credentials with a wildcard, and echoing
    /// every origin with credentials would let any site act with the user's cookies).
    /// </summary>
    internal string? AllowedOriginValue(string? origin, out bool credentials)
    {
        credentials = false;
        var allowed = Options.Cors.AllowedOrigins;
        if (allowed.Count == 0 || string.IsNullOrEmpty(origin))
        {
            return null;
        }

        if (allowed.Contains(origin))
        {
            credentials = Options.Cors.AllowCredentials;
            return origin;
        }

        return allowed.Contains("*") ? "*" : null;
    }

    private void Register(EngineSession session)
    {
        session.SetHandler(_handlerFactory(session));
        _sessions[session.Id] = session;
        Log.SessionOpened(_logger, session.Id, session.TransportName);
    }

    private byte[] OpenPayload(string sid, bool isWebSocket)
    {
        using var stream = new MemoryStream(160);
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("sid", sid);
            writer.WriteStartArray("upgrades");
            if (!isWebSocket && Options.AllowWebSocket && Options.AllowUpgrades)
            {
                writer.WriteStringValue("websocket");
            }

            writer.WriteEndArray();
            writer.WriteNumber("pingInterval", (long)Options.PingInterval.TotalMilliseconds);
            writer.WriteNumber("pingTimeout", (long)Options.PingTimeout.TotalMilliseconds);
            writer.WriteNumber("maxPayload", Options.MaxPayload);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    private Task<System.Net.WebSockets.WebSocket> AcceptWebSocketAsync(HttpContext context) =>
        context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            DangerousEnableCompression = Options.PerMessageDeflate,
            KeepAliveInterval = TimeSpan.Zero,
        });

    private static async Task CloseQuietlyAsync(System.Net.WebSockets.WebSocket webSocket)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await webSocket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, "session already upgraded", cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or IOException or OperationCanceledException)
        {
            webSocket.Abort();
        }
        finally
        {
            webSocket.Dispose();
        }
    }

    private void ApplyCors(HttpContext context)
    {
        if (Options.Cors.AllowedOrigins.Count == 0)
        {
            return;
        }

        var origin = context.Request.Headers.Origin.ToString();
        if (AllowedOriginValue(origin, out var credentials) is not { } allowOrigin)
        {
            return;
        }

        var headers = context.Response.Headers;
        headers.AccessControlAllowOrigin = allowOrigin;
        headers.Vary = "Origin";
        if (credentials)
        {
            headers.AccessControlAllowCredentials = "true";
        }

        if (HttpMethods.IsOptions(context.Request.Method))
        {
            headers.AccessControlAllowMethods = "GET,POST";
            var requested = context.Request.Headers.AccessControlRequestHeaders;
            if (!StringValues.IsNullOrEmpty(requested))
            {
                headers.AccessControlAllowHeaders = requested;
            }
        }
    }

    /// <summary>Writes the reference server's JSON error for <paramref name="code"/>.</summary>
    internal static Task WriteErrorAsync(HttpContext context, EngineErrorCode code)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        var (status, message) = code switch
        {
            EngineErrorCode.UnknownTransport => (400, "Transport unknown"),
            EngineErrorCode.UnknownSid => (400, "Session ID unknown"),
            EngineErrorCode.BadHandshakeMethod => (400, "Bad handshake method"),
            EngineErrorCode.BadRequest => (400, "Bad request"),
            EngineErrorCode.Forbidden => (403, "Forbidden"),
            _ => (400, "Unsupported protocol version"),
        };
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync($"{{\"code\":{(int)code},\"message\":\"{message}\"}}");
    }

    internal void Remove(EngineSession session) => _sessions.TryRemove(new KeyValuePair<string, EngineSession>(session.Id, session));

    /// <summary>Keeps, for one second, the sid of a polling session the client closed, for its racing poll.</summary>
    internal void RememberClosedByClient(string sid)
    {
        var now = Time.GetTimestamp();
        _closedByClient[sid] = now + ToTicks(TimeSpan.FromSeconds(1));
        if (_closedByClient.Count > 1024)
        {
            foreach (var entry in _closedByClient)
            {
                if (entry.Value < now)
                {
                    _closedByClient.TryRemove(entry);
                }
            }
        }
    }

    /// <summary>The poll that the tombstone was kept for has been answered.</summary>
    internal void ForgetClosedByClient(string sid) => _closedByClient.TryRemove(sid, out _);

    private static Task WriteNoopAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/plain; charset=UTF-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync("6");
    }

    internal long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Time.TimestampFrequency);

    /// <summary>A new random id: 20 URL-safe characters (120 bits).</summary>
    public static string NewId()
    {
        Span<byte> bytes = stackalloc byte[15];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
    }

    /// <summary>How many sessions the heartbeat pings or closes before it pauses (see <see cref="RunHeartbeatAsync"/>).</summary>
    private const int HeartbeatBatch = 16;

    /// <summary>The pause between two batches of pings (the timer's resolution when that is coarser).</summary>
    private static readonly TimeSpan HeartbeatPause = TimeSpan.FromMilliseconds(1);

    private async Task RunHeartbeatAsync(CancellationToken cancellationToken)
    {
        // One timer for all sessions; its period is fine enough for the shortest interval configured.
        var shortest = new[] { Options.PingInterval, Options.PingTimeout, Options.ConnectTimeout, Options.AttachmentTimeout }.Min();
        var period = TimeSpan.FromMilliseconds(Math.Clamp(shortest.TotalMilliseconds / 20, 5, 500));

        // Sessions that connected together are due together, so one tick can owe pings to thousands of them, and
        // their pongs then arrive as one burst that every message received meanwhile waits behind. The tick spreads
        // its pings over at most this window, pausing after each batch, and after the window only lets queued work
        // run between batches. The window is a small part of the period and of the pong timeout (pong deadlines
        // count from when a ping was due).
        var pacingWindow = TimeSpan.FromMilliseconds(Math.Min(period.TotalMilliseconds / 2, Options.PingTimeout.TotalMilliseconds / 4));
        using var timer = new PeriodicTimer(period, Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var now = Time.GetTimestamp();
                var worked = 0;
                foreach (var session in _sessions.Values)
                {
                    bool wrote;
                    try
                    {
                        wrote = session.OnTick(now);
                    }
                    catch (Exception ex)
                    {
                        Log.TickFailed(_logger, session.Id, ex);
                        wrote = false;
                    }

                    if (wrote && ++worked % HeartbeatBatch == 0)
                    {
                        if (Time.GetElapsedTime(now) < pacingWindow)
                        {
                            await Task.Delay(HeartbeatPause, Time, cancellationToken).ConfigureAwait(false);
                        }
                        else
                        {
                            await Task.Yield();
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>Closes every session with "server shutting down".</summary>
    public void CloseAll(EngineCloseReason reason = EngineCloseReason.ServerShuttingDown)
    {
        foreach (var session in _sessions.Values)
        {
            session.Close(reason, "server shutting down");
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        CloseAll();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _heartbeat.ConfigureAwait(false);
        _stopping.Dispose();
    }
}
