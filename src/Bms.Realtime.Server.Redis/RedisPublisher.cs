using System.Threading.Channels;
using Bms.Realtime.Server.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Bms.Realtime.Server.Redis;

/// <summary>
/// The node's outgoing Redis queue, shared by the adapters of every namespace: <see cref="TryEnqueue"/> never waits, and
/// one background writer publishes the queued messages in order (pipelined in batches), so a broadcast, a room
/// operation or a server-side emit costs its caller the same with Redis healthy, dead or hung.
/// <para>
/// Drop policy: while Redis is known to be down or unresponsive (<see cref="RedisConnection.IsConnected"/> false) new
/// messages are refused and what is still queued is discarded, because other nodes cannot receive it; when the queue is
/// full (<see cref="RedisAdapterOptions.OutgoingQueueCapacity"/>) the oldest message is dropped. Every dropped message
/// is counted in <c>bms.realtime.adapter.dropped{reason}</c> (<c>unavailable</c> or <c>queue_full</c>) and a full
/// queue logs a warning (at most one per 5 s). <c>bms.realtime.adapter.queue</c> is the current length. A message
/// already written to a hung Redis when the hang is noticed is delivered late, once, when it answers again.
/// </para>
/// Thread-safe.
/// </summary>
public sealed partial class RedisPublisher : IAsyncDisposable
{
    private const int MaxBatch = 256;
    private static readonly InvalidOperationException Unreachable = new("Redis is unreachable or not answering; the message was delivered on this node only");
    private readonly Channel<Outgoing> _queue;
    private readonly RedisConnection _connection;
    private readonly RedisAdapterMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly int _capacity;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _writer;
    private long _fullDrops;
    private long _lastFullWarningTicks;

    /// <summary>Creates the queue and starts its writer.</summary>
    public RedisPublisher(RedisConnection connection, IOptions<RedisAdapterOptions> options, RedisAdapterMetrics metrics, RealtimeMetrics realtimeMetrics, ILogger<RedisPublisher> logger, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(realtimeMetrics);
        ArgumentNullException.ThrowIfNull(logger);
        _connection = connection;
        _metrics = metrics;
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
        _capacity = options.Value.OutgoingQueueCapacity;
        _queue = Channel.CreateBounded<Outgoing>(
            new BoundedChannelOptions(_capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            OnFull);
        realtimeMetrics.Meter.CreateObservableGauge("bms.realtime.adapter.queue", () => _queue.Reader.Count, "{message}", "Messages waiting in the node's outgoing Redis queue");
        _writer = Task.Run(WriteAsync);
    }

    /// <summary>The number of messages waiting.</summary>
    public int Count => _queue.Reader.Count;

    /// <summary>
    /// Queues <paramref name="message"/> for <paramref name="channel"/> without waiting. False, with the message counted
    /// as dropped and the failure as an adapter error, while Redis is known to be down or unresponsive.
    /// <paramref name="onPublished"/> (optional) receives PUBLISH's receiver count.
    /// </summary>
    public bool TryEnqueue(string channel, ReadOnlyMemory<byte> message, string kind, Action<long>? onPublished = null)
    {
        if (!_connection.IsConnected)
        {
            _metrics.Dropped("unavailable");
            _metrics.Error("publish");
            _connection.ReportError("publish", Unreachable);
            return false;
        }

        // DropOldest: TryWrite always succeeds on a bounded channel in this mode (the drop is reported to OnFull).
        return _queue.Writer.TryWrite(new Outgoing(channel, message, kind, onPublished, null));
    }

    /// <summary>
    /// Queues <paramref name="message"/> like <see cref="TryEnqueue"/> (so it keeps its place among this node's other
    /// messages) and completes with PUBLISH's receiver count once it is published: 0 when it was dropped or failed.
    /// The caller should bound the wait with its own timeout.
    /// </summary>
    public Task<long> PublishAsync(string channel, ReadOnlyMemory<byte> message, string kind)
    {
        var completion = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_connection.IsConnected)
        {
            _metrics.Dropped("unavailable");
            _metrics.Error("publish");
            _connection.ReportError("publish", Unreachable);
            return Task.FromResult(0L);
        }

        if (!_queue.Writer.TryWrite(new Outgoing(channel, message, kind, null, completion)))
        {
            return Task.FromResult(0L);
        }

        return completion.Task;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _writer.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
        }

        _stopping.Dispose();
    }

    private void OnFull(Outgoing dropped)
    {
        dropped.Completion?.TrySetResult(0);
        _metrics.Dropped("queue_full");
        var total = Interlocked.Increment(ref _fullDrops);
        var now = _time.GetUtcNow().UtcTicks;
        var last = Interlocked.Read(ref _lastFullWarningTicks);
        if (now - last > TimeSpan.TicksPerSecond * 5 && Interlocked.CompareExchange(ref _lastFullWarningTicks, now, last) == last)
        {
            Log.QueueFull(_logger, _capacity, dropped.Kind, total);
        }
    }

    private async Task WriteAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Outgoing>(MaxBatch);
        var sent = new Task<long>[MaxBatch];
        var token = _stopping.Token;
        try
        {
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                if (!_connection.IsConnected || !_connection.TryGet(out var multiplexer))
                {
                    // Queued before the outage was noticed: nobody on the other side can receive it now.
                    foreach (var item in batch)
                    {
                        item.Completion?.TrySetResult(0);
                        _metrics.Dropped("unavailable");
                    }

                    continue;
                }

                // Issued back to back on one connection: Redis applies them in order, and the batch costs one round trip.
                var subscriber = multiplexer.GetSubscriber();
                for (var i = 0; i < batch.Count; i++)
                {
                    try
                    {
                        sent[i] = subscriber.PublishAsync(RedisChannel.Literal(batch[i].Channel), batch[i].Message);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        sent[i] = Task.FromException<long>(ex);
                    }
                }

                for (var i = 0; i < batch.Count; i++)
                {
                    try
                    {
                        var receivers = await sent[i].ConfigureAwait(false);
                        _metrics.Published(batch[i].Kind);
                        batch[i].OnPublished?.Invoke(receivers);
                        batch[i].Completion?.TrySetResult(receivers);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // Whatever failed, the writer goes on: one bad message must not silence the node.
                        batch[i].Completion?.TrySetResult(0);
                        _metrics.Error("publish");
                        _connection.ReportError("publish", ex);
                    }
                }

                Array.Clear(sent, 0, batch.Count);
            }
        }
        catch (OperationCanceledException)
        {
        }

        foreach (var item in batch)
        {
            item.Completion?.TrySetResult(0);
        }

        while (reader.TryRead(out var left))
        {
            left.Completion?.TrySetResult(0);
        }
    }

    private readonly record struct Outgoing(string Channel, ReadOnlyMemory<byte> Message, string Kind, Action<long>? OnPublished, TaskCompletionSource<long>? Completion);
}
