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
    /// once (no backlog). Broadcasts never wait for it: they are published from <see cref="OutgoingQueueCapacity"/>'s
    /// queue in the background.
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often the node sends <c>PING</c> to Redis to find out whether it still answers. Default 250 ms. With
    /// <see cref="HeartbeatTimeout"/> it bounds how long a hung Redis (connection open, no answers) goes unnoticed:
    /// at most interval + timeout (1.25 s by default).
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long a <c>PING</c> may wait before Redis counts as down: publishing stops (messages are dropped and counted),
    /// cluster requests fail fast and the health check reports it. Default 1 s; raise it for a Redis that is far away
    /// or often slow.
    /// </summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The size of the node's outgoing queue: broadcasts, room operations, server-side emits without acknowledgement
    /// and answers to other nodes are queued here and published in order by one background writer, so the caller
    /// never waits for Redis. When the queue is full (Redis slower than the node, or hung and not yet detected) the
    /// OLDEST queued message is dropped, counted in <c>bms.realtime.adapter.dropped{reason="queue_full"}</c> and logged
    /// (at most one warning per 5 s). Default 10,000 messages.
    /// </summary>
    public int OutgoingQueueCapacity { get; set; } = 10_000;
}
