using Bms.Realtime.Server.Adapters;
using Bms.Realtime.Server.Redis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>DI registration of the Redis adapter.</summary>
public static class RedisAdapterServiceCollectionExtensions
{
    /// <summary>
    /// Replaces the in-memory adapter with <see cref="RedisAdapter"/> (wire-compatible with
    /// <c>@socket.io/redis-adapter</c> 8.x). Registers <see cref="RedisConnection"/> (health checks can read its state),
    /// <see cref="RedisAdapterMetrics"/> and the node's outgoing queue (<see cref="RedisPublisher"/>). Options are validated at start.
    /// </summary>
    /// <example>
    /// <code>
    /// builder.Services.AddBmsRealtime().AddRedisAdapter(o => o.Configuration = "127.0.0.1:6379");
    /// </code>
    /// </example>
    public static IRealtimeBuilder AddRedisAdapter(this IRealtimeBuilder builder, Action<RedisAdapterOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<RedisAdapterOptions>().Configure(configure)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Configuration), "RedisAdapterOptions.Configuration is required (e.g. 127.0.0.1:6379).")
            .Validate(o => !string.IsNullOrEmpty(o.Key), "RedisAdapterOptions.Key must not be empty.")
            .Validate(o => o.RequestsTimeout > TimeSpan.Zero && o.CommandTimeout > TimeSpan.Zero, "Redis adapter timeouts must be positive.")
            .Validate(o => o.HeartbeatInterval > TimeSpan.Zero && o.HeartbeatTimeout > TimeSpan.Zero, "Redis adapter heartbeat interval and timeout must be positive.")
            .Validate(o => o.OutgoingQueueCapacity > 0, "RedisAdapterOptions.OutgoingQueueCapacity must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton<RedisConnection>();
        services.TryAddSingleton<RedisAdapterMetrics>();
        services.TryAddSingleton<RedisPublisher>();
        services.RemoveAll<IAdapterFactory>();
        services.AddSingleton<IAdapterFactory, RedisAdapterFactory>();
        return builder;
    }
}
