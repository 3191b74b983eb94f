using Bms.Server.Web.Components;
using Bms.Web.Client.Models;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bms.Server.Web;

/// <summary>
/// Adds the web dashboard (a Blazor Web App) to the backend. The server keeps the sign-in page (a form post that sets
/// the HttpOnly cookie), the page shell, the token endpoint and the static assets; the interactive pages at
/// <c>/</c>, <c>/pos</c> and <c>/admin</c> run in the browser (WebAssembly render mode, <c>Bms.Web.Client</c>), which
/// opens its own Socket.IO connection to <c>/socket.io/</c>. No dashboard state or connection lives in the server
/// process. The API (<c>/api/*</c>, JWT) and <c>/socket.io/</c> are untouched.
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
    /// Registers the dashboard. <c>Bms:Dashboard:ReconnectionDelay</c> and <c>ReconnectionDelayMax</c> are handed to
    /// the browser app with the page; it connects to the origin that served it.
    /// </summary>
    public static WebApplicationBuilder AddBmsDashboard(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveWebAssemblyComponents();
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
        services.AddOptions<DashboardClientSettings>().Bind(builder.Configuration.GetSection("Bms:Dashboard"));
        services.AddSingleton<DashboardTokenStore>();
        return builder;
    }

    /// <summary>Maps the pages, the sign-out endpoint and the static assets. Call after the backend's own pipeline.</summary>
    public static WebApplication MapBmsDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // The API authenticates with JWT bearer (the default scheme). Dashboard page requests carry the cookie instead:
        // make it the request's user so the page shell knows who signed in.
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

        // Unknown pages get the app's own Not found page (404); API paths keep their Problem Details.
        app.MapFallback(static (HttpContext context) => IsBackendPath(context.Request.Path)
            ? Results.NotFound()
            : new RazorComponentResult<NotFoundPage> { StatusCode = StatusCodes.Status404NotFound });
        app.MapDashboardToken();
        app.MapDashboardApi();
        app.MapRazorComponents<App>()
            .AddInteractiveWebAssemblyRenderMode()
            .AddAdditionalAssemblies(typeof(Bms.Web.Client.Routes).Assembly);
        return app;
    }

    private static bool IsBackendPath(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/socket.io", StringComparison.OrdinalIgnoreCase);
}
