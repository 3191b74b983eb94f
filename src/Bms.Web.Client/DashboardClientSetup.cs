using Bms.Realtime.Client;
using Bms.Web.Client.Services;
using Bms.Web.Components.Services;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Bms.Web.Client;

/// <summary>Registers what the dashboard needs in the browser.</summary>
public static class DashboardClientSetup
{
    /// <summary>
    /// Registers the browser app: <see cref="DashboardSession"/> (token source and authentication state), the
    /// dashboard policies, the components of <c>Bms.Web.Components</c> with one real-time connection to
    /// <paramref name="origin"/> (WebSocket, long-polling fallback), and the terminal directory over the REST API.
    /// </summary>
    public static IServiceCollection AddBmsDashboardClient(this IServiceCollection services, Uri origin)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(origin);
        services.AddAuthorizationCore(o =>
        {
            o.AddPolicy(DashboardPolicies.SignedIn, p => p.RequireAuthenticatedUser());
            o.AddPolicy(DashboardPolicies.Admin, p => p.RequireAuthenticatedUser().RequireRole(DashboardPolicies.AdminRole));
        });
        services.AddCascadingAuthenticationState();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new HttpClient { BaseAddress = origin });
        services.AddSingleton<DashboardSession>();
        services.AddSingleton<AuthenticationStateProvider>(sp => sp.GetRequiredService<DashboardSession>());
        services.AddSingleton<IAccessTokenSource>(sp => sp.GetRequiredService<DashboardSession>());
        services.AddScoped<IPosTerminalDirectory, HttpPosTerminalDirectory>();
        services.AddScoped<DashboardApi>();
        services.AddBmsWebComponents(o =>
        {
            o.ServerUrl = origin;
            o.Transports = [TransportKind.WebSocket, TransportKind.Polling];
        });
        services.AddOptions<RealtimeConnectionOptions>().Configure<DashboardSession>((o, session) =>
        {
            // The host's Bms:Dashboard settings arrive with the page (Routes sets them before any component connects).
            if (session.Settings?.ReconnectionDelay is { } delay)
            {
                o.ReconnectionDelay = delay;
            }

            if (session.Settings?.ReconnectionDelayMax is { } max)
            {
                o.ReconnectionDelayMax = max;
            }
        });
        return services;
    }
}
