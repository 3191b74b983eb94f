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
    private readonly Counter<long> _errors;

    /// <summary>Creates the instruments on <paramref name="metrics"/>' meter.</summary>
    public RedisAdapterMetrics(RealtimeMetrics metrics, RedisConnection connection)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(connection);
        _published = metrics.Meter.CreateCounter<long>("bms.realtime.adapter.published", "{message}", "Messages published to Redis, by kind");
        _received = metrics.Meter.CreateCounter<long>("bms.realtime.adapter.received", "{message}", "Messages received from other nodes through Redis, by kind");
        _errors = metrics.Meter.CreateCounter<long>("bms.realtime.adapter.errors", "{error}", "Redis adapter failures, by operation");
        metrics.Meter.CreateObservableGauge("bms.realtime.adapter.connected", () => connection.IsConnected ? 1 : 0, "{state}", "1 while the node is connected to Redis");
    }

    internal void Published(string kind) => _published.Add(1, new KeyValuePair<string, object?>("kind", kind));

    internal void Received(string kind) => _received.Add(1, new KeyValuePair<string, object?>("kind", kind));

    internal void Error(string operation) => _errors.Add(1, new KeyValuePair<string, object?>("operation", operation));
}
