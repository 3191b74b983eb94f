using Microsoft.AspNetCore.Http;

namespace Bms.Realtime.Server.Hosting;

/// <summary>
/// Options of the real-time server. Defaults are those of the reference socket.io 4.8 server.
/// Validated at start (<see cref="RealtimeServerOptionsValidator"/>).
/// </summary>
public sealed class RealtimeServerOptions
{
    /// <summary>Interval between server pings. Default 25 s.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>How long the server waits for a pong before closing the session. Default 20 s.</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a WebSocket upgrade may take between probe and upgrade packet. Default 10 s.</summary>
    public TimeSpan UpgradeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Maximum size in bytes of one message or one polling request body (Engine.IO <c>maxPayload</c>). Default 1,000,000.</summary>
    public int MaxPayload { get; set; } = 1_000_000;

    /// <summary>How long a client has to join a namespace after the Engine.IO handshake. Default 45 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>Whether HTTP long-polling is accepted. Default true.</summary>
    public bool AllowPolling { get; set; } = true;

    /// <summary>Whether WebSocket is accepted (directly or as an upgrade). Default true.</summary>
    public bool AllowWebSocket { get; set; } = true;

    /// <summary>Whether polling sessions may upgrade to WebSocket. Default true.</summary>
    public bool AllowUpgrades { get; set; } = true;

    /// <summary>Negotiate WebSocket per-message deflate when the client offers it. Default false (as the reference server).</summary>
    public bool PerMessageDeflate { get; set; }

    /// <summary>
    /// Serve fresh WebSocket handshakes (<c>GET &lt;path&gt;/?EIO=4&amp;transport=websocket</c> without <c>sid</c>) on the
    /// direct path: a Kestrel connection middleware answers the RFC 6455 handshake itself and runs the session on the
    /// raw connection, without the HTTP/1.1 request machinery Kestrel would otherwise keep alive under every WebSocket
    /// (about 10 KB per idle connection). Default true.
    /// <para>
    /// Applies to plain HTTP/1.1 endpoints (not HTTPS) that exist when <c>AddBmsRealtime</c> configures Kestrel's
    /// endpoint defaults, and to the paths given to <c>MapBmsRealtime</c>. Everything else (polling, upgrades from
    /// polling, other paths such as Blazor's, malformed, oversized or slow heads, <c>permessage-deflate</c> offers when
    /// <see cref="PerMessageDeflate"/> is on, requests with <c>X-Forwarded-*</c>/<c>Forwarded</c> headers, and all
    /// requests when <see cref="AllowRequest"/> is set, the endpoint carries authorization, CORS or rate-limiting
    /// metadata, a fallback authorization policy exists, or Kestrel's <c>MaxConcurrentUpgradedConnections</c> is set) goes through the HTTP pipeline unchanged.
    /// Direct sessions run no HTTP middleware: <see cref="Engine.HandshakeRequest.User"/> is anonymous. Turn this off
    /// when other middleware must see the Socket.IO handshake.
    /// </para>
    /// </summary>
    public bool DirectWebSocket { get; set; } = true;

    /// <summary>
    /// Maximum number of frames queued for one session before it is closed as too slow. Default 10,000.
    /// One slow consumer never holds memory or blocks the broadcast for the others beyond this bound.
    /// </summary>
    public int MaxQueuedFrames { get; set; } = 10_000;

    /// <summary>
    /// Maximum bytes of frame data queued for one session before it is closed as too slow. Default 131,072 (128 KiB):
    /// sized so that 10,000 clients with full queues of distinct data stay within about 1.3 GB, leaving room on a 2 GB
    /// host for the runtime and the idle connections. The bytes of a broadcast are shared by every recipient but
    /// counted in each recipient's queue, so one paused client can pin no more than this much of them. Frames the
    /// transport is already writing (and the socket's kernel buffer) are not counted. A packet queued while the queue
    /// is empty is always accepted, so one message larger than the limit does not close an idle client. Minimum 1,024.
    /// </summary>
    public long MaxQueuedBytes { get; set; } = 128 * 1024;

    /// <summary>Maximum binary attachments per packet. Default 10.</summary>
    public int MaxAttachments { get; set; } = 10;

    /// <summary>
    /// Maximum total bytes of the binary attachments of one packet from a client. A connection reconstructs one binary
    /// packet at a time, so this also bounds what an unfinished binary packet holds; crossing it closes the connection
    /// (parse error). Default 1,000,000 (the <see cref="MaxPayload"/> default). Minimum 1.
    /// </summary>
    public long MaxAttachmentBytes { get; set; } = 1_000_000;

    /// <summary>
    /// How long a binary packet from a client may stay unfinished (header received, attachments missing) before the
    /// connection is closed (parse error). Default 10 s.
    /// </summary>
    public TimeSpan AttachmentTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Maximum length of a client event's name, in UTF-8 bytes as sent (JSON escapes included). Checked before any
    /// handler, middleware, log or metric sees the name; a longer name is refused (see
    /// <see cref="Namespaces.RealtimeServer.EventRefused"/>). Default 128. Between 1 and <see cref="MaxPayload"/>.
    /// </summary>
    public int MaxEventNameLength { get; set; } = 128;

    /// <summary>
    /// Whether client event names may contain non-ASCII characters. When false (default) a name is printable ASCII
    /// (U+0020 to U+007E); when true, any character but control and format characters and unpaired surrogates.
    /// Other names are refused like names that are too long.
    /// </summary>
    public bool AllowNonAsciiEventNames { get; set; }

    /// <summary>Whether the main namespace <c>/</c> exists (as in the reference server). Default true.</summary>
    public bool CreateDefaultNamespace { get; set; } = true;

    /// <summary>
    /// Metadata consulted first when event arguments are serialised, e.g. a source-generated
    /// <see cref="System.Text.Json.Serialization.JsonSerializerContext"/>; types it does not know fall back to reflection.
    /// Default null (reflection only).
    /// </summary>
    public System.Text.Json.Serialization.Metadata.IJsonTypeInfoResolver? JsonTypeInfoResolver { get; set; }

    /// <summary>Optional check run on the handshake request; returning false answers 403 (code 4, "Forbidden").</summary>
    public Func<HttpContext, ValueTask<bool>>? AllowRequest { get; set; }

    /// <summary>Cross-origin settings for browsers on other origins.</summary>
    public RealtimeCorsOptions Cors { get; } = new();

    /// <summary>Connection-state recovery (socket.io 4.6+).</summary>
    public ConnectionStateRecoveryOptions ConnectionStateRecovery { get; } = new();
}

/// <summary>CORS for the Engine.IO endpoint. With no allowed origins no CORS headers are written.</summary>
public sealed class RealtimeCorsOptions
{
    /// <summary>
    /// Exact origins allowed (e.g. <c>http://localhost:5173</c>); <c>*</c> allows any other origin without credentials
    /// (answered <c>Access-Control-Allow-Origin: *</c>, never with <c>Access-Control-Allow-Credentials</c>).
    /// </summary>
    public IList<string> AllowedOrigins { get; } = new List<string>();

    /// <summary>
    /// Whether <c>Access-Control-Allow-Credentials: true</c> is sent to the origins listed by name (never to origins
    /// admitted by <c>*</c>). Default true.
    /// </summary>
    public bool AllowCredentials { get; set; } = true;
}

/// <summary>Options of connection-state recovery.</summary>
public sealed class ConnectionStateRecoveryOptions
{
    /// <summary>Enables recovery: CONNECT replies carry a <c>pid</c> and broadcasts an offset. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>How long a disconnected session and its missed packets are kept. Default 2 minutes.</summary>
    public TimeSpan MaxDisconnectionDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Whether middlewares run again for a recovered socket. Default true.</summary>
    public bool SkipMiddlewares { get; set; } = true;
}
