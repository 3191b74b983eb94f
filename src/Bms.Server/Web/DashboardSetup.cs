using Bms.Server.Events;
using Bms.Server.Web.Components;
using Bms.Web.Components.Services;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Bms.Server.Web;

/// <summary>
/// Adds the web dashboard (Blazor Server, interactive server render mode) to the backend: cookie sign-in carrying the
/// API token, the pages at <c>/</c>, <c>/pos</c>, <c>/admin</c>, <c>/signin</c>, static assets, and the per-circuit
/// services of <c>Bms.Web.Components</c>. The API (<c>/api/*</c>, JWT) and <c>/socket.io/</c> are untouched.
/// </summary>
/// <example>
/// <code>
/// var app = BmsApplication.Create(args, builder => builder.AddBmsDashboard());
/// app.MapBmsDashboard();
/// </code>
/// </example>
public static class DashboardSetup
{
    /// <summary>
    /// Registers the dashboard. Options bind from <c>Bms:Dashboard</c> (<c>ServerUrl</c>, <c>ReconnectionDelay</c>,
    /// <c>ReconnectionDelayMax</c>...); without <c>ServerUrl</c> the dashboard talks to this server's own first address.
    /// </summary>
    public static WebApplicationBuilder AddBmsDashboard(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddAuthentication().AddCookie(DashboardAuth.Scheme, o =>
        {
            o.Cookie.Name = "bms.dashboard";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/signin";
            o.AccessDeniedPath = "/denied";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = false;
        });

        // Pages name a policy rather than a scheme: components cannot carry authentication schemes themselves.
        services.AddAuthorizationBuilder()
            .AddPolicy(DashboardAuth.Policy, p => p.AddAuthenticationSchemes(DashboardAuth.Scheme).RequireAuthenticatedUser())
            .AddPolicy(DashboardAuth.AdminPolicy, p => p.AddAuthenticationSchemes(DashboardAuth.Scheme).RequireAuthenticatedUser().RequireRole(Domain.Roles.Admin));
        services.AddBmsWebComponents();
        services.AddOptions<RealtimeConnectionOptions>()
            .Bind(builder.Configuration.GetSection("Bms:Dashboard"))
            .PostConfigure<IServer>((o, server) => o.ServerUrl ??= OwnAddress(server));
        services.AddSingleton<DashboardTokenStore>();
        services.AddScoped<IAccessTokenSource, DashboardTokenSource>();
        services.AddScoped<IPosTerminalDirectory, PosTerminalDirectory>();
        return builder;
    }

    /// <summary>Maps the pages, the sign-out endpoint and the static assets. Call after the backend's own pipeline.</summary>
    public static WebApplication MapBmsDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // The API authenticates with JWT bearer (the default scheme). Dashboard requests, including the Blazor circuit's
        // own connection, carry the cookie instead: make it the request's user so the circuit knows who signed in.
        app.Use(async (context, next) =>
        {
            if (context.User.Identity?.IsAuthenticated != true && !IsBackendPath(context.Request.Path))
            {
                var result = await context.AuthenticateAsync(DashboardAuth.Scheme);
                if (result.Succeeded)
                {
                    context.User = result.Principal;
                }
            }

            await next();
        });
        app.UseAntiforgery();

        var manifest = Path.Combine(AppContext.BaseDirectory, "Bms.Server.staticwebassets.endpoints.json");
        if (File.Exists(manifest))
        {
            app.MapStaticAssets(manifest);
        }
        else
        {
            app.UseStaticFiles();
        }

        app.MapPost("/signout", async (HttpContext context, DashboardTokenStore tokens) =>
        {
            var session = (await context.AuthenticateAsync(DashboardAuth.Scheme)).Principal?.FindFirst(DashboardAuth.SessionClaim)?.Value;
            if (session is not null)
            {
                tokens.Remove(session);
            }

            await context.SignOutAsync(DashboardAuth.Scheme);
            return Results.Redirect("/signin");
        }).DisableAntiforgery();

        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    private static bool IsBackendPath(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/socket.io", StringComparison.OrdinalIgnoreCase);

    /// <summary>This server's first address, with a wildcard host replaced by the loopback address.</summary>
    private static Uri? OwnAddress(IServer server)
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null)
        {
            return null;
        }

        address = address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://[::]", "://[::1]", StringComparison.Ordinal);
        return new Uri(address);
    }
}
