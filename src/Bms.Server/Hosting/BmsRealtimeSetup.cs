using Bms.Server.Events;
using Bms.Server.Realtime;
using Bms.Server.RealtimeAuthorization;

namespace Bms.Server.Hosting;

/// <summary>Registers and maps the real-time part of the backend (Socket.IO endpoint at <c>/socket.io/</c>).</summary>
internal static class BmsRealtimeSetup
{
    public static void AddBmsServerRealtime(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var origins = builder.Configuration.GetSection("Bms:CorsOrigins").Get<string[]>() ?? [];
        services.AddBmsRealtime(o =>
        {
            // The backend serves only /main, /admin and /pos, each behind token authentication: no default namespace.
            o.CreateDefaultNamespace = false;
            o.JsonTypeInfoResolver = BmsContractsJsonContext.Default;
            foreach (var origin in origins)
            {
                o.Cors.AllowedOrigins.Add(origin);
            }
        });
        services.AddOptions<BmsRealtimeOptions>().Bind(builder.Configuration.GetSection("Bms:Realtime"))
            .Validate(o => o.ConnectionsPerUserPerMinute > 0 && o.ConnectionsPerIpPerMinute > 0, "Connection limits must be positive.")
            .Validate(o => o.EventBurst > 0 && o.EventsPerSecond > 0, "Event limits must be positive.")
            .Validate(o => o.MaxEventPayloadBytes > 0, "MaxEventPayloadBytes must be positive.")
            .Validate(o => o.ViolationsBeforeDisconnect > 0 && o.ViolationWindow > TimeSpan.Zero, "Violation settings must be positive.")
            .ValidateOnStart();
        services.AddSingleton<ConnectionRateLimiter>();
        services.AddSingleton<RealtimeSecurityMetrics>();
        services.AddSingleton<TokenExpiry>();
        services.AddSingleton<RealtimeGateway>();
        services.AddSingleton<TerminalStatusBoard>();
        services.AddSingleton<IDomainEventSink, RealtimeEventSink>();
    }

    public static void MapBmsServerRealtime(this WebApplication app)
    {
        app.MapBmsRealtime("/socket.io");
        app.Services.GetRequiredService<RealtimeGateway>().Configure();
    }
}
