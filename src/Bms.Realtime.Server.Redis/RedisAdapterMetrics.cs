using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Bms.Realtime.Server.Hosting;

namespace Bms.Realtime.Server.Redis;

/// <summary>
/// The Redis adapter's instruments, on the server's meter <c>Bms.Realtime</c>: messages published and received (by
/// kind), failures (by operation) and the connection state. Thread-safe.
/// </summary>
public sealed class RedisAdapterMetrics
{
    private readonly Counter<long> _published;
    private readonly Counter<long> _received;
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);

    /// <summary>Creates the instruments on <paramref name="metrics"/>' meter.</summary>
    public RedisAdapterMetrics(RealtimeMetrics metrics, RedisConnection connection)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(connection);
        _published = metrics.Meter.CreateCounter<long>("bms.realtime.adapter.published", "{message}", "Messages published to Redis, by kind");
        _received = metrics.Meter.CreateCounter<long>("bms.realtime.adapter.received", "{message}", "Messages received from other nodes through Redis, by kind");
        // Observable so the series exists from the start (at zero): dashboards and alerts see "no errors" rather than nothing.
        _errors["publish"] = 0;
        metrics.Meter.CreateObservableCounter("bms.realtime.adapter.errors", ObserveErrors, "{error}", "Redis adapter failures, by operation");
        metrics.Meter.CreateObservableGauge("bms.realtime.adapter.connected", () => connection.IsConnected ? 1 : 0, "{state}", "1 while the node is connected to Redis");
    }

    internal void Published(string kind) => _published.Add(1, new KeyValuePair<string, object?>("kind", kind));

    internal void Received(string kind) => _received.Add(1, new KeyValuePair<string, object?>("kind", kind));

    internal void Error(string operation) => _errors.AddOrUpdate(operation, 1, (_, count) => count + 1);

    private IEnumerable<Measurement<long>> ObserveErrors()
    {
        foreach (var (operation, count) in _errors)
        {
            yield return new Measurement<long>(count, new KeyValuePair<string, object?>("operation", operation));
        }
    }
}
