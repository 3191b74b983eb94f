using Bms.Web.Components.Services;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the dashboard services of <c>Bms.Web.Components</c>.</summary>
public static class BmsWebComponentsServiceCollectionExtensions
{
    /// <summary>
    /// Registers, per app (scoped: the browser app, or a circuit on a server): <see cref="IRealtimeConnection"/> (one <c>WebSocketClient</c>),
    /// <see cref="IBmsApi"/>, <see cref="LiveDataService"/>, <see cref="NotificationCenter"/>, <see cref="RoomLeases"/>
    /// and <see cref="PosTerminalMonitor"/>. The host must register a scoped <see cref="IAccessTokenSource"/> and may
    /// register an <see cref="IPosTerminalDirectory"/>; <see cref="RealtimeConnectionOptions.ServerUrl"/> must be set.
    /// </summary>
    /// <example>
    /// <code>
    /// builder.Services.AddBmsWebComponents(o => o.ServerUrl = new Uri("http://127.0.0.1:3001"));
    /// builder.Services.AddScoped&lt;IAccessTokenSource, MyTokenSource&gt;();
    /// </code>
    /// </example>
    public static IServiceCollection AddBmsWebComponents(this IServiceCollection services, Action<RealtimeConnectionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<RealtimeConnectionOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddScoped<IRealtimeConnection, RealtimeConnection>();
        services.AddHttpClient<IBmsApi, BmsApiClient>();
        services.TryAddScoped<LiveDataService>();
        services.TryAddScoped(provider => new NotificationCenter(
            provider.GetRequiredService<IRealtimeConnection>(), provider.GetService<IBmsApi>()));
        services.TryAddScoped<RoomLeases>();
        services.TryAddScoped(provider => new PosTerminalMonitor(
            provider.GetRequiredService<IRealtimeConnection>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<IPosTerminalDirectory>()));
        return services;
    }
}
