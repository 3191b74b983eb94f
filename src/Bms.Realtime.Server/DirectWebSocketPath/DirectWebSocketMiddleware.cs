using Bms.Realtime.Server.Hosting;
using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Reflection;
using System.Text;
using Bms.Realtime.Server.Engine;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bms.Realtime.Server.DirectWebSocketPath;

/// <summary>
/// The direct WebSocket path: a Kestrel connection middleware that peeks at the first request of a new connection
/// and, when it is a fresh Engine.IO WebSocket handshake for a path of <c>MapBmsRealtime</c>, answers the RFC 6455
/// handshake itself and runs the session over the raw connection, so no HTTP/1.1 request state stays alive under
/// the WebSocket. Every other connection is passed on untouched (nothing consumed): Kestrel parses the same bytes.
/// One instance per endpoint; thread-safe.
/// </summary>
internal sealed partial class DirectWebSocketMiddleware
{
    /// <summary>
    /// How long the head of the first request may take before the connection is handed to HTTP (or Kestrel's
    /// <c>RequestHeadersTimeout</c>, when shorter). Kestrel's own timeout then runs in full from the hand-over: the
    /// bytes seen are left unexamined, so Kestrel's first read returns them at once and starts its header timer.
    /// </summary>
    internal static readonly TimeSpan HeadTimeout = TimeSpan.FromSeconds(5);

    private static readonly PropertyInfo? IsTlsProperty = typeof(ListenOptions).GetProperty("IsTls", BindingFlags.Instance | BindingFlags.NonPublic);

    private readonly ConnectionDelegate _next;
    private readonly ListenOptions _endpoint;
    private readonly IServiceProvider _services;
    private State? _state;

    public DirectWebSocketMiddleware(ConnectionDelegate next, ListenOptions endpoint, IServiceProvider services)
    {
        _next = next;
        _endpoint = endpoint;
        _services = services;
    }

    public Task OnConnectionAsync(ConnectionContext connection)
    {
        var state = _state ??= CreateState();
        if (state.Routes is null || connection.Features.Get<ITlsHandshakeFeature>() is not null)
        {
            return _next(connection);
        }

        var routes = state.Routes.Current;
        return routes.Paths.Length == 0 ? _next(connection) : TakeOverAsync(connection, state, routes);
    }

    // One state machine per direct connection stays alive while the session runs (this one), holding only the
    // connection, its socket and the engine: the peek and the handshake happen in methods that complete before the
    // session starts, so the parsed head is not kept.
    private async Task TakeOverAsync(ConnectionContext connection, State state, DirectWebSocketRoutes.Snapshot routes)
    {
        var accepted = await PeekAsync(connection, state, routes).ConfigureAwait(false);
        if (accepted is not { } start)
        {
            await _next(connection).ConfigureAwait(false);
            return;
        }

        var engine = start.Engine;
        var socket = connection.Features.Get<IConnectionSocketFeature>()?.Socket;
        WebSocket? webSocket = null;
        var clean = false;
        try
        {
            (var session, webSocket) = await StartSessionAsync(connection, state, engine, start.Head, socket).ConfigureAwait(false);
            if (session is not null)
            {
                clean = await session.ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ConnectionResetException or SocketException)
        {
            // The client went away during the handshake: nothing to answer.
        }
        catch (Exception ex)
        {
            Log.SessionFailed(state.Logger, connection.ConnectionId, ex);
        }
        finally
        {
            webSocket?.Dispose();

            // No connection outlives its session, whichever way it ended (a client that stopped reading would
            // otherwise keep Kestrel's send, the socket and its kernel buffer alive).
            TransportRelease.Release(socket, clean, connection.Abort, engine.Time);
        }
    }

    /// <summary>
    /// Answers the handshake and starts the session; returns its task (null when the client left) and, without own
    /// framing, the WebSocket to dispose once it ends.
    /// </summary>
    private static async ValueTask<(Task<bool>? Session, WebSocket? WebSocket)> StartSessionAsync(
        ConnectionContext connection, State state, EngineServer engine, WebSocketHandshakeHead head, Socket? socket)
    {
        var remote = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        var request = new HandshakeRequest(head.RawHeaders, head.Url, remote, engine.Time.GetUtcNow());
        if (socket is not null && engine.Options.DirectWebSocketFraming)
        {
            // Own framing: everything from the 101 on is written to the socket (never to the transport's output
            // pipe), so the bytes cannot overtake each other.
            state.Metrics?.DirectWebSocketOpened();
            Log.Accepted(state.Logger, connection.ConnectionId, head.Url);
            await socket.SendAsync(SwitchingProtocols(head, engine), SocketFlags.None, connection.ConnectionClosed).ConfigureAwait(false);
            var direct = new DirectWebSocket(socket, connection.Transport.Input, engine.Options.MaxPayload);
            return (engine.RunDirectWebSocketAsync(direct, request), null);
        }

        var webSocket = await HandshakeAsync(connection, state, engine, head).ConfigureAwait(false);
        return webSocket is null ? (null, null) : (engine.RunDirectWebSocketAsync(webSocket, request), webSocket);
    }

    /// <summary>Reads the first request head; null hands the connection to HTTP with nothing consumed.</summary>
    private static async ValueTask<(EngineServer Engine, WebSocketHandshakeHead Head)?> PeekAsync(ConnectionContext connection, State state, DirectWebSocketRoutes.Snapshot routes)
    {
        var input = connection.Transport.Input;
        using var timeout = new CancellationTokenSource(state.HeadTimeout);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(timeout.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                WebSocketHandshakeHead? head = null;
                var status = result.IsCanceled
                    ? HandshakeHeadStatus.NotDirect
                    : WebSocketHandshakeParser.TryParse(buffer, routes.Paths, out head);
                if (status == HandshakeHeadStatus.Direct && Takes(routes.Engines[head!.PathIndex], head))
                {
                    input.AdvanceTo(buffer.GetPosition(head.HeadLength));
                    return (routes.Engines[head.PathIndex], head);
                }

                if (status == HandshakeHeadStatus.NeedMore && !result.IsCompleted)
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                    continue;
                }

                // Consume and examine nothing, so Kestrel's first read returns these bytes at once.
                input.AdvanceTo(buffer.Start);
                return null;
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            // A slow head: Kestrel takes it from here, with its own header timeout. Kestrel starts that timer at its
            // first read that returns data (before, only the keep-alive timeout applies), so un-examine the bytes seen:
            // that read returns them at once instead of waiting for one more byte of a slowloris head.
            if (input.TryRead(out var pending))
            {
                input.AdvanceTo(pending.Buffer.Start);
            }

            Log.HeadTimedOut(state.Logger, connection.ConnectionId);
            return null;
        }
    }

    /// <summary>Writes the 101 response and creates the server WebSocket; null when the client left.</summary>
    private static async ValueTask<WebSocket?> HandshakeAsync(ConnectionContext connection, State state, EngineServer engine, WebSocketHandshakeHead head)
    {
        state.Metrics?.DirectWebSocketOpened();
        Log.Accepted(state.Logger, connection.ConnectionId, head.Url);
        var output = connection.Transport.Output;
        output.Write(SwitchingProtocols(head, engine));
        var flush = await output.FlushAsync(connection.ConnectionClosed).ConfigureAwait(false);
        if (flush.IsCompleted || flush.IsCanceled)
        {
            return null;
        }

        return WebSocket.CreateFromStream(new DuplexPipeStream(connection.Transport), new WebSocketCreationOptions
        {
            IsServer = true,

            // Engine.IO has its own heartbeat.
            KeepAliveInterval = TimeSpan.Zero,
        });
    }

    /// <summary>Whether this engine's options let the direct path answer (otherwise its HTTP handler decides).</summary>
    private static bool Takes(EngineServer engine, WebSocketHandshakeHead head)
    {
        var options = engine.Options;
        return options.DirectWebSocket && options.AllowWebSocket && options.AllowRequest is null
            && !(head.OffersDeflate && options.PerMessageDeflate);
    }

    private static byte[] SwitchingProtocols(WebSocketHandshakeHead head, EngineServer engine)
    {
        var builder = new StringBuilder(256)
            .Append("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: ")
            .Append(WebSocketHandshakeParser.AcceptKey(head.Key))
            .Append("\r\n");
        if (engine.AllowedOriginValue(head.Origin, out var credentials) is { } allowOrigin)
        {
            // The CORS headers EngineServer writes on every Engine.IO response.
            builder.Append("Access-Control-Allow-Origin: ").Append(allowOrigin).Append("\r\nVary: Origin\r\n");
            if (credentials)
            {
                builder.Append("Access-Control-Allow-Credentials: true\r\n");
            }
        }

        return Encoding.ASCII.GetBytes(builder.Append("\r\n").ToString());
    }

    private State CreateState()
    {
        var logger = _services.GetRequiredService<ILoggerFactory>().CreateLogger<DirectWebSocketMiddleware>();
        var options = _services.GetRequiredService<IOptions<RealtimeServerOptions>>().Value;
        string? reason = null;
        if (!options.DirectWebSocket)
        {
            reason = "disabled by options";
        }
        else if ((_endpoint.Protocols & HttpProtocols.Http1) == 0)
        {
            reason = "endpoint without HTTP/1.1";
        }
        else if (IsTlsProperty?.GetValue(_endpoint) is not false)
        {
            // Unknown (the internal property moved) counts as TLS: never take over a connection we cannot classify.
            reason = "HTTPS endpoint";
        }
        else if (_services.GetService<IOptions<KestrelServerOptions>>()?.Value.Limits.MaxConcurrentUpgradedConnections is not null)
        {
            // Kestrel counts upgraded HTTP connections against this limit; direct sessions would escape it.
            reason = "MaxConcurrentUpgradedConnections is set";
        }
        else if (_services.GetService<IOptions<AuthorizationOptions>>()?.Value.FallbackPolicy is not null)
        {
            reason = "a fallback authorization policy applies to every endpoint";
        }

        if (reason is null)
        {
            // Routing builds its endpoints lazily (at the first HTTP request): build them now, so that MapEngine's
            // final convention has enabled (or, for endpoints that need the HTTP pipeline, kept disabled) its route.
            _ = _services.GetService<EndpointDataSource>()?.Endpoints;
        }

        Log.EndpointConfigured(logger, _endpoint.ToString() ?? "endpoint", reason is null, reason ?? "enabled");
        var headersTimeout = _services.GetService<IOptions<KestrelServerOptions>>()?.Value.Limits.RequestHeadersTimeout ?? HeadTimeout;
        var headTimeout = headersTimeout < HeadTimeout ? headersTimeout : HeadTimeout;
        return reason is null
            ? new State(_services.GetRequiredService<DirectWebSocketRoutes>(), _services.GetService<RealtimeMetrics>(), logger, headTimeout)
            : new State(null, null, logger, headTimeout);
    }

    private sealed record State(DirectWebSocketRoutes? Routes, RealtimeMetrics? Metrics, ILogger Logger, TimeSpan HeadTimeout);
}
