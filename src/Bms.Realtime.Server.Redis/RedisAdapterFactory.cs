using Bms.Realtime.Server.Adapters;
using Bms.Realtime.Server.Namespaces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bms.Realtime.Server.Redis;

/// <summary>Creates a <see cref="RedisAdapter"/> for each namespace, all sharing the node's <see cref="RedisConnection"/>.</summary>
public sealed class RedisAdapterFactory : IAdapterFactory
{
    private readonly RedisConnection _connection;
    private readonly RedisPublisher _publisher;
    private readonly RedisAdapterOptions _options;
    private readonly RedisAdapterMetrics _metrics;
    private readonly ILogger<RedisAdapter> _logger;

    /// <summary>Creates the factory and starts connecting to Redis in the background.</summary>
    public RedisAdapterFactory(RedisConnection connection, RedisPublisher publisher, IOptions<RedisAdapterOptions> options, RedisAdapterMetrics metrics, ILogger<RedisAdapter> logger)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(publisher);
        ArgumentNullException.ThrowIfNull(options);
        _connection = connection;
        _publisher = publisher;
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _ = connection.GetAsync();
    }

    /// <inheritdoc />
    public IAdapter Create(RealtimeNamespace @namespace) => new RedisAdapter(@namespace, _connection, _publisher, _options, _metrics, _logger);
}
