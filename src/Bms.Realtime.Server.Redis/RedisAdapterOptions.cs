namespace Bms.Realtime.Server.Redis;

/// <summary>Options of the Redis adapter. Validated at start.</summary>
public sealed class RedisAdapterOptions
{
    /// <summary>
    /// The StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c> or <c>redis1:6379,password=…</c>.
    /// Required. <c>abortConnect=false</c> is implied: the node starts and serves local sockets while Redis is down.
    /// </summary>
    public string Configuration { get; set; } = string.Empty;

    /// <summary>
    /// The channel prefix. Default <c>socket.io</c>, as the Node adapter, so both share one cluster: broadcasts on
    /// <c>socket.io#&lt;nsp&gt;#</c>, requests on <c>socket.io-request#&lt;nsp&gt;#</c>, responses on
    /// <c>socket.io-response#&lt;nsp&gt;#</c>.
    /// </summary>
    public string Key { get; set; } = "socket.io";

    /// <summary>How long to wait for the other nodes' answers to a request (fetch sockets, all rooms). Default 5 s.</summary>
    public TimeSpan RequestsTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Publish responses to the requesting node's own channel (<c>socket.io-response#&lt;nsp&gt;#&lt;uid&gt;#</c>)
    /// instead of the shared response channel. Default false, as the Node adapter 8.x (which listens on both).
    /// </summary>
    public bool PublishOnSpecificResponseChannel { get; set; }

    /// <summary>
    /// Per-message timeout of Redis commands while connected. Default 2 s. While Redis is unreachable commands fail at
    /// once (no backlog), so a broadcast never waits for Redis.
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
