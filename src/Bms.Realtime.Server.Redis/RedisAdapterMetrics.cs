using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Bms.Realtime.Server.Hosting;

namespace Bms.Realtime.Server.Redis;

/// <summary>
/// The Redis adapter's instruments, on the server's meter <c>Bms.Realtime</c>: messages published and received (by
/// kind), failures (by operation), messages dropped (by reason) and the connection state. Thread-safe.
/// </summary>
public sealed class RedisAdapterMetrics
{
    private readonly Counter<long> _published;
    private readonly Counter<long> _received;
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _dropped = new(StringComparer.Ordinal);

    /// <summary>Creates the instruments on <paramref name="metrics"/>' meter.</summary>
    public RedisAdapterMetrics(RealtimeMetrics metrics, RedisConnection connection)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(connection);
        _published = metrics.Meter.CreateCounter<long>("bms.realtime.adapter.published", "{message}", "Messages published to Redis, by kind");
        _received = metrics.Meter.CreateCounter<long>("bms.realtime.adapter.received", "{message}", "Messages received from other nodes through Redis, by kind");
        // Observable so the series exists from the start (at zero): dashboards and alerts see "no errors" rather than nothing.
        _errors["publish"] = 0;
        metrics.Meter.CreateObservableCounter("bms.realtime.adapter.errors", () => Observe(_errors, "operation"), "{error}", "Redis adapter failures, by operation");
        _dropped["queue_full"] = 0;
        _dropped["unavailable"] = 0;
        metrics.Meter.CreateObservableCounter("bms.realtime.adapter.dropped", () => Observe(_dropped, "reason"), "{message}", "Messages for other nodes that were never published, by reason (unavailable: Redis down or not answering; queue_full: the outgoing queue overflowed)");
        metrics.Meter.CreateObservableGauge("bms.realtime.adapter.connected", () => connection.IsConnected ? 1 : 0, "{state}", "1 while the node is connected to Redis");
    }

    internal void Published(string kind) => _published.Add(1, new KeyValuePair<string, object?>("kind", kind));

    internal void Received(string kind) => _received.Add(1, new KeyValuePair<string, object?>("kind", kind));

    internal void Error(string operation) => _errors.AddOrUpdate(operation, 1, (_, count) => count + 1);

    internal void Dropped(string reason) => _dropped.AddOrUpdate(reason, 1, (_, count) => count + 1);

    /// <summary>The number of messages dropped for <paramref name="reason"/> so far (for tests and diagnostics).</summary>
    public long DroppedCount(string reason) => _dropped.GetValueOrDefault(reason);

    private static IEnumerable<Measurement<long>> Observe(ConcurrentDictionary<string, long> counts, string tag)
    {
        foreach (var (key, count) in counts)
        {
            yield return new Measurement<long>(count, new KeyValuePair<string, object?>(tag, key));
        }
    }
}
