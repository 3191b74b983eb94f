using Bms.Realtime.Server.Hosting;
using Bms.Realtime.Server.Redis;
using Bms.Server.Auth;
using Bms.Server.Data.Postgres;
using Bms.Server.Data;
using Bms.Server.Events;
using Bms.Server.Observability;
using Bms.Server.Realtime;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using Bms.Server.RealtimeAuthorization;

namespace Bms.Server.Cluster;

/// <summary>
/// Registers and maps the scale-out part of the backend: the Redis adapter when
/// <c>ConnectionStrings:Redis</c> is set, health checks (<c>/health/live</c>, <c>/health/ready</c>; details for admins
/// only), Prometheus metrics (<c>/metrics</c>, admins or the scrape token unless <c>Bms:Metrics:RequireAuth</c> is
/// false), POS sync metrics, debug event tracing and the cluster socket listing
/// (<c>GET /api/admin/sockets</c>). PostgreSQL is chosen in <see cref="DatabaseProvider"/>.
/// </summary>
internal static class ScaleSetup
{
    /// <summary>The tag of the checks run by <c>/health/ready</c>.</summary>
    public const string ReadyTag = "ready";

    public static void AddBmsScale(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddOptions<ScaleOptions>().Bind(configuration.GetSection("Bms:Scale"))
            .Validate(o => o.MetricsPath.StartsWith('/'), "Bms:Scale:MetricsPath must start with '/'.")
            .ValidateOnStart();
        services.AddOptions<MetricsOptions>().Bind(configuration.GetSection("Bms:Metrics"))
            .Validate(o => o.ScrapeToken is null || o.ScrapeToken.Length >= 32, "Bms:Metrics:ScrapeToken must be at least 32 characters.")
            .ValidateOnStart();
        services.AddOptions<Microsoft.AspNetCore.Authorization.AuthorizationOptions>()
            .Configure<Microsoft.Extensions.Options.IOptions<MetricsOptions>>(MetricsAccess.AddPolicy);

        if (configuration.GetValue<bool>("Bms:Scale:TraceEvents"))
        {
            builder.Logging.AddFilter("Bms.Server.Observability.EventTracer", LogLevel.Information)
                .AddFilter("Bms.Realtime.Server.Redis.RedisAdapter", LogLevel.Debug);
        }

        var redis = configuration.GetConnectionString("Redis");
        if (!string.IsNullOrWhiteSpace(redis))
        {
            var key = configuration["Bms:Scale:RedisKey"] ?? "socket.io";
            var tuning = configuration.GetSection("Bms:Scale:Redis");
            new RealtimeBuilder(services).AddRedisAdapter(o =>
            {
                // Heartbeat, queue and timeouts (RedisAdapterOptions' names), e.g. Bms:Scale:Redis:HeartbeatTimeout.
                tuning.Bind(o);
                o.Configuration = redis;
                o.Key = key;
            });
        }

        var health = services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy("The process is running."), tags: ["live"])
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag]);
        if (!string.IsNullOrWhiteSpace(redis))
        {
            health.AddCheck<RedisHealthCheck>("redis", tags: [ReadyTag]);
        }

        services.TryAddSingleton<PosSyncMetrics>();
        services.TryAddSingleton<SaleIdempotencyGate>();
        services.TryAddSingleton<EventTracer>();
        DecorateEventSinks(services);

        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(RealtimeMetrics.MeterName, RealtimeSecurityMetrics.MeterName, PosSyncMetrics.MeterName, SaleIdempotencyGate.MeterName)
            .AddView("bms.realtime.ack.duration", new ExplicitBucketHistogramConfiguration { Boundaries = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] })
            .AddPrometheusExporter());
    }

    public static void MapBmsScale(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ScaleOptions>>().Value;
        app.MapHealthChecks("/health/live", new() { Predicate = c => c.Tags.Contains("live"), ResponseWriter = HealthResponseWriter.WriteAsync });
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = HealthResponseWriter.WriteAsync });
        var metrics = app.MapPrometheusScrapingEndpoint(options.MetricsPath);
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MetricsOptions>>().Value.RequireAuth)
        {
            metrics.RequireAuthorization(MetricsAccess.Policy);
        }

        app.MapGet("/api/admin/sockets", ClusterSockets.ListAsync).RequireAuthorization(Policies.Admin).WithTags("Admin");

        app.Services.GetRequiredService<PosSyncMetrics>().Attach();
        app.Services.GetRequiredService<EventTracer>().Attach();
    }

    /// <summary>Wraps the real-time event sink so debug tracing sees each business event's fan-out.</summary>
    private static void DecorateEventSinks(IServiceCollection services)
    {
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType == typeof(IDomainEventSink) && descriptor.ImplementationType is { } implementation && implementation == typeof(RealtimeEventSink))
            {
                services[i] = ServiceDescriptor.Describe(
                    typeof(IDomainEventSink),
                    sp => new TracingEventSink((IDomainEventSink)ActivatorUtilities.CreateInstance(sp, implementation), sp.GetRequiredService<EventTracer>()),
                    descriptor.Lifetime);
            }
        }
    }

    private sealed class RealtimeBuilder(IServiceCollection services) : IRealtimeBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
