using System.ComponentModel.DataAnnotations;

namespace Bms.Realtime.Client;

/// <summary>
/// Options of a <see cref="WebSocketClient"/>. Defaults follow socket.io-client 4.8 except the transport list
/// (WebSocket only by default). With <c>services.AddWebSocketClient(…)</c> they may be bound from a configuration
/// section and are validated at start (<see cref="WebSocketClientOptionsValidator"/>). Not thread-safe: configure
/// before creating the client.
/// </summary>
public sealed class WebSocketClientOptions
{
    /// <summary>
    /// The server URL: <c>http</c>, <c>https</c>, <c>ws</c> or <c>wss</c>; only scheme, host and port are used
    /// (the Engine.IO endpoint is <see cref="Path"/>). Required.
    /// </summary>
    [Required]
    public Uri? Url { get; set; }

    /// <summary>The Engine.IO endpoint path. Default <c>/socket.io</c>.</summary>
    public string Path { get; set; } = "/socket.io";

    /// <summary>
    /// Transports to use, in order: the first opens the connection; with <c>[Polling, WebSocket]</c> the client starts
    /// with HTTP long-polling and upgrades to WebSocket (socket.io-client's default, for networks that block WebSockets).
    /// Default <c>[WebSocket]</c>.
    /// </summary>
    public IList<TransportKind> Transports { get; set; } = [TransportKind.WebSocket];

    /// <summary>Whether to reconnect automatically after a lost connection. Default true.</summary>
    public bool Reconnection { get; set; } = true;

    /// <summary>Maximum reconnection attempts; null for unlimited (default).</summary>
    public int? ReconnectionAttempts { get; set; }

    /// <summary>Delay before the first reconnection attempt. Default 1 s.</summary>
    public TimeSpan ReconnectionDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Maximum delay between attempts. Default 5 s.</summary>
    public TimeSpan ReconnectionDelayMax { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Jitter factor in [0, 1]. Default 0.5.</summary>
    [Range(0.0, 1.0)]
    public double RandomizationFactor { get; set; } = 0.5;

    /// <summary>A custom retry policy; when null an <see cref="ExponentialBackoffRetryPolicy"/> is built from the options above.</summary>
    public IRetryPolicy? RetryPolicy { get; set; }

    /// <summary>
    /// Called before every namespace CONNECT (first connect and every reconnect) for a fresh access token, sent as
    /// <c>auth.token</c>. Called once more when the server answers <c>connect_error</c> <c>token_expired</c>. Optional.
    /// </summary>
    public Func<CancellationToken, ValueTask<string?>>? AccessTokenProvider { get; set; }

    /// <summary>Extra fields of the CONNECT auth payload (sent with every namespace CONNECT). Optional.</summary>
    public IDictionary<string, object?> Auth { get; set; } = new Dictionary<string, object?>();

    /// <summary>Time allowed for opening the engine connection and for a namespace CONNECT reply. Default 20 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Per namespace socket: how many emits are kept while disconnected (flushed in order on reconnect). When full,
    /// the oldest buffered emit is dropped and counted. 0 disables buffering (emits while disconnected are dropped).
    /// Default 1,000.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int SendBufferCapacity { get; set; } = 1000;

    /// <summary>Logs every packet and state transition at Trace/Debug level. Default false.</summary>
    public bool Debug { get; set; }

    /// <summary>
    /// Extra HTTP headers sent with the WebSocket upgrade and every polling request (e.g. <c>Authorization</c>). In the
    /// browser (WebAssembly) the WebSocket upgrade cannot carry headers: use <see cref="AccessTokenProvider"/> there.
    /// </summary>
    public IDictionary<string, string> ExtraHeaders { get; set; } = new Dictionary<string, string>();

    /// <summary>Extra query parameters added to the Engine.IO URL.</summary>
    public IDictionary<string, string> Query { get; set; } = new Dictionary<string, string>();

    /// <summary>Upper bound for one received message (WebSocket frame or polling response). Default 16 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = 16 * 1024 * 1024;

    /// <summary>Latency above which <see cref="WebSocketClient.Health"/> is <see cref="ConnectionHealth.Degraded"/>. Default 1 s.</summary>
    public TimeSpan DegradedLatency { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// When set, the client periodically emits this event with an ack on the first connected namespace socket and
    /// records the round trip as <see cref="ConnectionStatistics.Latency"/> (the server must acknowledge it; our test
    /// servers answer <c>echo</c>). Without it latency comes from handshake and CONNECT round trips. Default null.
    /// </summary>
    public string? LatencyProbeEvent { get; set; }

    /// <summary>Period of the latency probe. Default 15 s.</summary>
    public TimeSpan LatencyProbeInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Creates a copy (collections copied shallowly).</summary>
    public WebSocketClientOptions Clone() => new()
    {
        Url = Url,
        Path = Path,
        Transports = [.. Transports],
        Reconnection = Reconnection,
        ReconnectionAttempts = ReconnectionAttempts,
        ReconnectionDelay = ReconnectionDelay,
        ReconnectionDelayMax = ReconnectionDelayMax,
        RandomizationFactor = RandomizationFactor,
        RetryPolicy = RetryPolicy,
        AccessTokenProvider = AccessTokenProvider,
        Auth = new Dictionary<string, object?>(Auth),
        Timeout = Timeout,
        SendBufferCapacity = SendBufferCapacity,
        Debug = Debug,
        ExtraHeaders = new Dictionary<string, string>(ExtraHeaders),
        Query = new Dictionary<string, string>(Query),
        MaxReceiveMessageSize = MaxReceiveMessageSize,
        DegradedLatency = DegradedLatency,
        LatencyProbeEvent = LatencyProbeEvent,
        LatencyProbeInterval = LatencyProbeInterval,
    };

    /// <summary>Throws when the options cannot work.</summary>
    /// <exception cref="ArgumentException">Missing URL, unsupported scheme, empty transports or a bad duration.</exception>
    public void Validate()
    {
        if (Url is null)
        {
            throw new ArgumentException("WebSocketClientOptions.Url is required.");
        }

        if (Url.Scheme is not ("http" or "https" or "ws" or "wss"))
        {
            throw new ArgumentException($"Unsupported URL scheme '{Url.Scheme}'.");
        }

        if (Transports is null || Transports.Count == 0)
        {
            throw new ArgumentException("At least one transport is required.");
        }

        if (Timeout <= TimeSpan.Zero || ReconnectionDelay < TimeSpan.Zero || ReconnectionDelayMax < ReconnectionDelay)
        {
            throw new ArgumentException("Timeout must be positive and ReconnectionDelay <= ReconnectionDelayMax.");
        }

        if (SendBufferCapacity < 0 || RandomizationFactor is < 0 or > 1)
        {
            throw new ArgumentException("SendBufferCapacity must be >= 0 and RandomizationFactor within [0, 1].");
        }
    }
}
