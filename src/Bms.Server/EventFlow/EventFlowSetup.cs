namespace Bms.Server.EventFlow;

/// <summary>Registers the live event-flow view (<c>Bms:EventFlow</c>) and attaches it to the namespaces.</summary>
internal static class EventFlowSetup
{
    public static void AddBmsEventFlow(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<EventFlowOptions>().Bind(builder.Configuration.GetSection("Bms:EventFlow"))
            .Validate(o => o.IsValid(), "Bms:EventFlow: Capacity must be 100 to 100,000; durations and counts positive; RemoteLease longer than PushInterval.")
            .ValidateOnStart();
        builder.Services.AddSingleton<EventFlowMonitor>();
    }

    /// <summary>After the gateway, so the connection hook sees the socket's user.</summary>
    public static void MapBmsEventFlow(this WebApplication app) =>
        app.Services.GetRequiredService<EventFlowMonitor>().Attach();
}
