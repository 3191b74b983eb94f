using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using Bms.Realtime.Protocol;
using Bms.Realtime.Server.Adapters;
using Bms.Realtime.Server.Engine;
using Bms.Realtime.Server.Namespaces;
using MessagePack;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Bms.Realtime.Server.Redis;

/// <summary>
/// A cluster adapter on Redis pub/sub that speaks the wire format of <c>@socket.io/redis-adapter</c> 8.x, so C# and
/// Node.js socket.io nodes can share one cluster. Broadcasts are delivered to local sockets first and then published as
/// MessagePack <c>[uid, packet, {rooms, except, flags}]</c> on <c>socket.io#&lt;nsp&gt;#</c> (or
/// <c>socket.io#&lt;nsp&gt;#&lt;room&gt;#</c> for exactly one room); cluster-wide operations (fetch, join, leave,
/// disconnect, server-side emit, broadcasts with acks) travel as requests on <c>socket.io-request#&lt;nsp&gt;#</c>
/// with answers on <c>socket.io-response#&lt;nsp&gt;#</c>. The number of nodes is <c>PUBSUB NUMSUB</c> of the
/// request channel.
/// <para>
/// Nothing local waits for Redis: messages for the other nodes (broadcasts, room operations, server-side emits without
/// acknowledgement, answers) go through the node's bounded outgoing queue (<see cref="RedisPublisher"/>), published in
/// the background. While Redis is unreachable or hung (<see cref="RedisConnection.IsConnected"/> false, noticed by the
/// heartbeat within <see cref="RedisAdapterOptions.HeartbeatInterval"/> + <see cref="RedisAdapterOptions.HeartbeatTimeout"/>)
/// broadcasts reach this node's sockets only, messages for other nodes are dropped and counted
/// (<c>bms.realtime.adapter.dropped</c>, <c>bms.realtime.adapter.errors</c>), and operations that need the other
/// nodes' answers (<see cref="FetchSocketsAsync"/>, <see cref="AllRoomsAsync"/>, <see cref="ServerSideEmitWithAckAsync"/>)
/// throw <see cref="RedisUnavailableException"/> at once, as do those still waiting when it is noticed. The adapter
/// re-subscribes when Redis returns. Messages published during the outage are lost, as with the Node adapter.
/// Thread-safe.
/// </para>
/// </summary>
public sealed partial class RedisAdapter : ClusterAdapter
{
    private readonly RedisConnection _connection;
    private readonly RedisPublisher _publisher;
    private readonly Action<long> _onBroadcastPublished;
    private readonly RedisAdapterOptions _options;
    private readonly RedisAdapterMetrics _metrics;
    private readonly ILogger _logger;
    private readonly string _channel;
    private readonly string _requestChannel;
    private readonly string _responseChannel;
    private readonly string _specificResponseChannel;
    private readonly SemaphoreSlim _subscribeLock = new(1, 1);
    private readonly List<ChannelMessageQueue> _queues = [];
    private readonly CancellationTokenSource _disposed = new();
    private bool _subscribed;
    private bool _subscribeFailed;
    private int _subscribeRetryScheduled;
    private long _otherNodes;

    /// <summary>Creates the adapter of <paramref name="namespace"/>.</summary>
    public RedisAdapter(RealtimeNamespace @namespace, RedisConnection connection, RedisPublisher publisher, RedisAdapterOptions options, RedisAdapterMetrics metrics, ILogger<RedisAdapter> logger)
        : base(@namespace, options?.RequestsTimeout ?? default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(publisher);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(logger);
        _connection = connection;
        _publisher = publisher;
        _onBroadcastPublished = receivers => Volatile.Write(ref _otherNodes, Math.Max(0, receivers - 1));
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _channel = options.Key + "#" + @namespace.Name + "#";
        _requestChannel = options.Key + "-request#" + @namespace.Name + "#";
        _responseChannel = options.Key + "-response#" + @namespace.Name + "#";
        _specificResponseChannel = _responseChannel + Uid + "#";
    }

    /// <summary>This node's id on the wire (the <c>uid</c> of the Node adapter).</summary>
    public string Uid => NodeId;

    /// <summary>True once the adapter's channels are subscribed (false again only until a failed subscribe is retried).</summary>
    public bool IsSubscribed => Volatile.Read(ref _subscribed);

    /// <inheritdoc />
    public override async ValueTask InitAsync(CancellationToken cancellationToken = default)
    {
        _connection.Restored += OnConnectionRestored;
        _connection.Lost += OnConnectionLost;
        await SubscribeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override ValueTask BroadcastAsync(string eventName, object?[] args, BroadcastOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(options);

        // Local sockets first: a Redis outage must never delay or drop local delivery.
        var local = DeliverLocal(EncodeForBroadcast(eventName, args, options), options);
        var remoteNodes = 0L;
        if (!options.Flags.Local)
        {
            var channel = options.Rooms.Count == 1 ? _channel + options.Rooms.First() + "#" : _channel;
            using var publish = RedisAdapterTracing.Source.StartActivity("redis publish", ActivityKind.Producer);
            publish?.SetTag("messaging.system", "redis");
            publish?.SetTag("messaging.destination.name", channel);
            var message = EncodeBroadcastMessage(eventName, args, options);

            // Queued, never awaited: the other nodes as counted by the last PUBLISH (which counts this node too).
            remoteNodes = _publisher.TryEnqueue(channel, message, "broadcast", _onBroadcastPublished) ? Volatile.Read(ref _otherNodes) : 0;
        }

        // Debug tracing (Bms.Server) sums these per business event: "emitted to N sockets on M nodes".
        Activity.Current?.AddEvent(new ActivityEvent("bms.broadcast", tags: new ActivityTagsCollection
        {
            ["namespace"] = Namespace.Name,
            ["event"] = eventName,
            ["local"] = (long)local,
            ["remote_nodes"] = remoteNodes,
        }));
        Log.Broadcast(_logger, Namespace.Name, eventName, local, remoteNodes, CorrelationId ?? "-");
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override async ValueTask BroadcastWithAckAsync(string eventName, object?[] args, BroadcastOptions options, Action<int> onClientCount, Action<EventArguments> onAck, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(onClientCount);
        ArgumentNullException.ThrowIfNull(onAck);
        if (!options.Flags.Local && _connection.IsConnected)
        {
            var timeout = options.Flags.Timeout ?? TimeSpan.FromSeconds(10);
            var requestId = RegisterAckRequest(onClientCount, onAck, timeout);
            var request = EncodeMessagePack((ref MessagePackWriter w) =>
            {
                w.WriteMapHeader(5);
                w.Write("uid");
                w.Write(Uid);
                w.Write("requestId");
                w.Write(requestId);
                w.Write("type");
                w.Write((int)RedisRequestType.Broadcast);
                w.Write("packet");
                WritePacket(ref w, eventName, args);
                w.Write("opts");
                WriteOptions(ref w, options, timeout);
            });
            _publisher.TryEnqueue(_requestChannel, request, "broadcast-ack");
        }

        await base.BroadcastWithAckAsync(eventName, args, options, onClientCount, onAck, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The matching sockets of every node: this node's, plus the answers of the others (<c>PUBSUB NUMSUB</c> of the
    /// request channel) within <see cref="RedisAdapterOptions.RequestsTimeout"/>, after which it answers with what
    /// arrived. Throws <see cref="RedisUnavailableException"/> at once while Redis is down or not answering (and when
    /// that becomes known during the wait); <c>.Local</c> never needs Redis.
    /// </summary>
    public override async ValueTask<IReadOnlyList<SocketDescriptor>> FetchSocketsAsync(BroadcastOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var local = FetchLocal(options);
        if (options.Flags.Local)
        {
            return local;
        }

        var request = await RunRequestAsync(
            (int)RedisRequestType.RemoteFetch,
            "FetchSockets",
            r => r.Sockets.AddRange(local),
            r => PublishJsonAsync(_requestChannel, w => WriteJsonRequest(w, RedisRequestType.RemoteFetch, r.Id, options), "request"),
            cancellationToken).ConfigureAwait(false);
        lock (request)
        {
            return [.. request.Sockets];
        }
    }

    /// <summary>
    /// The names of every room on every node. Waits at most <see cref="RedisAdapterOptions.RequestsTimeout"/> (then
    /// answers with what arrived); throws <see cref="RedisUnavailableException"/> while Redis is down or not answering.
    /// </summary>
    public async Task<IReadOnlyCollection<string>> AllRoomsAsync(CancellationToken cancellationToken = default)
    {
        var request = await RunRequestAsync(
            (int)RedisRequestType.AllRooms,
            "AllRooms",
            r => r.Rooms.UnionWith(GetAllRooms()),
            r => PublishJsonAsync(_requestChannel, w => WriteJsonRequest(w, RedisRequestType.AllRooms, r.Id, null), "request"),
            cancellationToken).ConfigureAwait(false);
        lock (request)
        {
            return [.. request.Rooms];
        }
    }

    /// <inheritdoc />
    public override async ValueTask AddSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rooms);
        await base.AddSocketsAsync(options, rooms, cancellationToken).ConfigureAwait(false);
        if (!options.Flags.Local)
        {
            EnqueueJson(_requestChannel, w =>
            {
                WriteRequestHead(w, RedisRequestType.RemoteJoin, null, options);
                WriteStrings(w, "rooms", rooms);
            }, "request");
        }
    }

    /// <inheritdoc />
    public override async ValueTask DelSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rooms);
        await base.DelSocketsAsync(options, rooms, cancellationToken).ConfigureAwait(false);
        if (!options.Flags.Local)
        {
            EnqueueJson(_requestChannel, w =>
            {
                WriteRequestHead(w, RedisRequestType.RemoteLeave, null, options);
                WriteStrings(w, "rooms", rooms);
            }, "request");
        }
    }

    /// <inheritdoc />
    public override async ValueTask DisconnectSocketsAsync(BroadcastOptions options, bool close, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Flags.Local)
        {
            EnqueueJson(_requestChannel, w =>
            {
                WriteRequestHead(w, RedisRequestType.RemoteDisconnect, null, options);
                w.WriteBoolean("close", close);
            }, "request");
        }

        await base.DisconnectSocketsAsync(options, close, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The number of nodes subscribed to this namespace (PUBSUB NUMSUB); 1 while Redis is unreachable.</summary>
    public override async ValueTask<int> ServerCountAsync(CancellationToken cancellationToken = default)
    {
        if (!_connection.TryGet(out var multiplexer) || !multiplexer.IsConnected)
        {
            return 1;
        }

        try
        {
            var result = await multiplexer.GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", _requestChannel).ConfigureAwait(false);
            var items = (RedisResult[])result!;
            return Math.Max(1, items.Length >= 2 ? (int)items[1] : 1);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or InvalidCastException)
        {
            Fault("numsub", ex);
            return 1;
        }
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        _connection.Restored -= OnConnectionRestored;
        _connection.Lost -= OnConnectionLost;
        await _disposed.CancelAsync().ConfigureAwait(false);
        ChannelMessageQueue[] queues;
        lock (_queues)
        {
            queues = [.. _queues];
            _queues.Clear();
        }

        foreach (var queue in queues)
        {
            try
            {
                await queue.UnsubscribeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
            {
            }
        }

        _disposed.Dispose();
        _subscribeLock.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private static string? CorrelationId => Activity.Current?.TraceId.ToHexString();

    /// <summary>The current W3C <c>traceparent</c>, carried to other nodes under <c>bmsTrace</c>.</summary>
    private static string? TraceParent => Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <inheritdoc />
    protected override bool IsConnected => _connection.IsConnected;

    /// <inheritdoc />
    protected override Exception Unavailable(string operation) => new RedisUnavailableException(operation, _connection.LastError);

    /// <inheritdoc />
    protected override void OnRequestTimedOut(string operation, int answered, int expected)
    {
        _metrics.Error("request-timeout");
        Log.RequestTimedOut(_logger, Namespace.Name, operation, answered, expected);
    }

    /// <summary>How long the adapter waits before it tries its subscription again after an attempt that did not hold.</summary>
    private static readonly TimeSpan SubscribeRetryDelay = TimeSpan.FromSeconds(1);

    private async Task SubscribeAsync()
    {
        if (!await _subscribeLock.WaitAsync(0).ConfigureAwait(false))
        {
            // An attempt is under way, and it may fail (e.g. the connection came back in two steps and it started
            // after the first): try again after it rather than drop this request.
            ScheduleSubscribeRetry();
            return;
        }

        try
        {
            if (_subscribed || _disposed.IsCancellationRequested)
            {
                return;
            }

            var multiplexer = await _connection.GetAsync().ConfigureAwait(false);
            if (!multiplexer.IsConnected)
            {
                // The connection is being retried; ConnectionRestored brings us back here, and so does the retry.
                _subscribeFailed = true;
                ScheduleSubscribeRetry();
                return;
            }

            var subscriber = multiplexer.GetSubscriber();
            var channels = new[]
            {
                (Channel: RedisChannel.Pattern(EscapePattern(_channel) + "*"), Handler: (Func<ChannelMessage, ValueTask>)OnBroadcastMessageAsync),
                (Channel: RedisChannel.Literal(_requestChannel), Handler: OnRequestMessageAsync),
                (Channel: RedisChannel.Literal(_responseChannel), Handler: OnResponseMessageAsync),
                (Channel: RedisChannel.Literal(_specificResponseChannel), Handler: OnResponseMessageAsync),
            };
            foreach (var (channel, handler) in channels)
            {
                if (_subscribeFailed)
                {
                    // A subscribe that failed half-way may still be registered; start clean so no message is handled twice.
                    await subscriber.UnsubscribeAsync(channel).ConfigureAwait(false);
                }

                var queue = await subscriber.SubscribeAsync(channel).ConfigureAwait(false);
                lock (_queues)
                {
                    _queues.Add(queue);
                }

                _ = PumpAsync(queue, handler);
            }

            _subscribed = true;
            _subscribeFailed = false;
            Log.Subscribed(_logger, Namespace.Name, _channel, Uid);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            _subscribeFailed = true;
            Fault("subscribe", ex);
            ScheduleSubscribeRetry();
        }
        finally
        {
            _subscribeLock.Release();
        }
    }

    /// <summary>
    /// Tries the subscription again after <see cref="SubscribeRetryDelay"/> until it holds: ConnectionRestored alone
    /// is not enough, because it is raised per connection (interactive, subscription) and an attempt started on the
    /// first can fail before the second is up. At most one retry is pending.
    /// </summary>
    private void ScheduleSubscribeRetry()
    {
        if (_disposed.IsCancellationRequested || Interlocked.Exchange(ref _subscribeRetryScheduled, 1) == 1)
        {
            return;
        }

        _ = RetryAsync();

        async Task RetryAsync()
        {
            try
            {
                await Task.Delay(SubscribeRetryDelay, _connection.Time, _disposed.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            finally
            {
                Volatile.Write(ref _subscribeRetryScheduled, 0);
            }

            if (!Volatile.Read(ref _subscribed))
            {
                await SubscribeAsync().ConfigureAwait(false);
            }
        }
    }

    private void OnConnectionRestored()
    {
        if (!Volatile.Read(ref _subscribed))
        {
            _ = SubscribeAsync();
        }
    }

    /// <summary>Redis went down or stopped answering: requests still waiting for other nodes fail now rather than at their timeout.</summary>
    private void OnConnectionLost() => FailPendingRequests();

    /// <summary>
    /// PUBSUB NUMSUB of the request channel within <paramref name="timeout"/>: the nodes that can answer a request.
    /// Throws <see cref="RedisUnavailableException"/> while Redis is known to be down or not answering, or when it
    /// does not answer in time.
    /// </summary>
    protected override async Task<int> CountNodesAsync(string operation, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!_connection.IsConnected || !_connection.TryGet(out var multiplexer))
        {
            _metrics.Error("request-unavailable");
            throw new RedisUnavailableException(operation, _connection.LastError);
        }

        try
        {
            var result = await multiplexer.GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", _requestChannel)
                .WaitAsync(timeout, Namespace.Server.Time, cancellationToken).ConfigureAwait(false);
            var items = (RedisResult[])result!;
            return Math.Max(1, items.Length >= 2 ? (int)items[1] : 1);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or InvalidCastException)
        {
            Fault("numsub", ex);
            throw new RedisUnavailableException(operation, _connection.LastError);
        }
    }

    private async Task PumpAsync(ChannelMessageQueue queue, Func<ChannelMessage, ValueTask> handler)
    {
        while (!_disposed.IsCancellationRequested)
        {
            ChannelMessage message;
            try
            {
                message = await queue.ReadAsync(_disposed.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or System.Threading.Channels.ChannelClosedException or ObjectDisposedException)
            {
                return;
            }

            try
            {
                await handler(message).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _metrics.Error("receive");
                Log.ReceiveFailed(_logger, Namespace.Name, message.Channel.ToString(), ex);
            }
        }
    }

    /// <summary>Publishes through the node's queue (in order with everything else this node sends) and returns the receiver count.</summary>
    private Task<long> PublishAsync(string channel, ReadOnlyMemory<byte> message, string kind) =>
        _publisher.PublishAsync(channel, message, kind);

    private Task<long> PublishJsonAsync(string channel, Action<System.Text.Json.Utf8JsonWriter> write, string kind) =>
        PublishAsync(channel, EncodeJson(write), kind);

    private void EnqueueJson(string channel, Action<System.Text.Json.Utf8JsonWriter> write, string kind) =>
        _publisher.TryEnqueue(channel, EncodeJson(write), kind);

    private static ReadOnlyMemory<byte> EncodeJson(Action<System.Text.Json.Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    private void Fault(string operation, Exception exception)
    {
        _metrics.Error(operation);
        _connection.ReportError(operation, exception);
    }

    private static string EscapePattern(string channel)
    {
        var builder = new StringBuilder(channel.Length + 4);
        foreach (var c in channel)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
