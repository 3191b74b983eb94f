using Bms.Realtime.Server.DirectWebSocketPath;
using Bms.Realtime.Server.Hosting;
using Bms.Realtime.Server.Namespaces;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>DI registration of the real-time server.</summary>
public static class RealtimeServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="RealtimeServer"/> (singleton), its options (validated at start), metrics, a hosted
    /// service that closes every session with "server shutting down" when the host stops, and (unless
    /// <see cref="RealtimeServerOptions.DirectWebSocket"/> is off) the direct WebSocket path on Kestrel's endpoints.
    /// </summary>
    /// <example>
    /// <code>
    /// builder.Services.AddBmsRealtime(o => o.ConnectionStateRecovery.Enabled = true);
    /// var app = builder.Build();
    /// app.MapBmsRealtime("/socket.io");
    /// </code>
    /// </example>
    public static IRealtimeBuilder AddBmsRealtime(this IServiceCollection services, Action<RealtimeServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<RealtimeServerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RealtimeServerOptions>, RealtimeServerOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RealtimeMetrics>();
        services.TryAddSingleton<RealtimeServer>();
        services.TryAddSingleton<DirectWebSocketRoutes>();
        services.AddHostedService<RealtimeLifetimeService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions>, InlineSchedulingSetup>());
        if (!services.Any(d => d.ImplementationType == typeof(DirectWebSocketKestrelSetup)))
        {
            // First among Kestrel's setups: its endpoint defaults must be in place before any Listen call.
            services.Insert(0, ServiceDescriptor.Singleton<IConfigureOptions<KestrelServerOptions>, DirectWebSocketKestrelSetup>());
        }

        return new RealtimeBuilder(services);
    }

    private sealed class RealtimeBuilder(IServiceCollection services) : IRealtimeBuilder
    {
        public IServiceCollection Services { get; } = services;
    }

    private sealed class RealtimeLifetimeService(RealtimeServer server, IHostApplicationLifetime lifetime) : IHostedService
    {
        private CancellationTokenRegistration _stopping;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            // Kestrel stops before other hosted services and waits for open requests; a WebSocket session is an open
            // request, so sessions are closed as soon as the application starts stopping.
            _stopping = lifetime.ApplicationStopping.Register(() => server.Engine.CloseAll());
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            _stopping.Dispose();
            server.Engine.CloseAll();
            return Task.CompletedTask;
        }
    }
}

/// <summary>Returned by <c>AddBmsRealtime</c> so extensions (such as the Redis adapter) can chain.</summary>
public interface IRealtimeBuilder
{
    /// <summary>The service collection.</summary>
    IServiceCollection Services { get; }
}
