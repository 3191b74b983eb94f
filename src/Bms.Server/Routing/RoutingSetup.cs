using Bms.Server.Events;
using Bms.Server.Routing.Webhooks;

namespace Bms.Server.Routing;

/// <summary>Registers subscription filters, configured routing (<c>Bms:Routing</c>) and webhooks, and maps <c>/api/routing</c>.</summary>
internal static class RoutingSetup
{
    public static void AddBmsRouting(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<EventSubscriptions>();
        services.AddSingleton<RoutingRules>();
        services.AddOptions<WebhookOptions>().Bind(builder.Configuration.GetSection("Bms:Routing:Webhooks"))
            .Validate(o => o.IsValid(), "Bms:Routing:Webhooks: durations and counts must be positive, RetryDelayMax >= RetryDelay, ClaimDuration > RequestTimeout.")
            .ValidateOnStart();
        services.AddHttpClient(WebhookSender.ClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
            .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookQueue>();
        services.AddSingleton<IDomainEventSink, RoutingEventSink>();
        services.AddHostedService<WebhookDispatcher>();
    }

    public static void MapBmsRouting(this WebApplication app)
    {
        // Resolved at start so an invalid Bms:Routing:Rules stops the server instead of failing the first event.
        app.Services.GetRequiredService<RoutingRules>();
        app.MapRoutingEndpoints();
    }
}
