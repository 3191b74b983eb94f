using System.Globalization;
using System.Security.Claims;
using Bms.Realtime.Server.Namespaces;
using Bms.Server.Auth;
using Bms.Server.Realtime;
using Microsoft.AspNetCore.Components.Authorization;

namespace Bms.Server.Web;

/// <summary>
/// The REST calls behind the dashboard's POS panel (JWT, managers and admins): <c>GET /api/dashboard/terminals</c>
/// (the caller's terminals with connection and last <c>sync:status</c>) and <c>POST /api/dashboard/terminals/sync</c>
/// <c>{terminalId?}</c> → <c>{asked}</c> (asks connected terminals of the caller's stores to sync now).
/// </summary>
internal static class DashboardApiEndpoints
{
    public static void MapDashboardApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/dashboard").WithTags("Dashboard").RequireAuthorization(Policies.Manager);
        group.MapGet("/terminals", (HttpContext context, CancellationToken ct) => Directory(context).GetTerminalsAsync(ct));
        group.MapPost("/terminals/sync", async (SyncRequest request, HttpContext context, CancellationToken ct) =>
            new { asked = await Directory(context).RequestSyncAsync(request.TerminalId, ct) });
    }

    private static PosTerminalDirectory Directory(HttpContext context)
    {
        var caller = context.GetBmsPrincipal();
        var claims = new List<Claim> { new(ClaimTypes.Name, caller.Name) };
        claims.AddRange(caller.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        claims.AddRange(caller.StoreIds.Select(s => new Claim(DashboardAuth.StoreClaim, s.ToString(CultureInfo.InvariantCulture))));
        var user = new ClaimsPrincipal(new ClaimsIdentity(claims, "bms", ClaimTypes.Name, ClaimTypes.Role));
        var services = context.RequestServices;
        return new PosTerminalDirectory(
            services.GetRequiredService<IServiceScopeFactory>(),
            services.GetRequiredService<RealtimeServer>(),
            services.GetRequiredService<TerminalStatusBoard>(),
            new FixedAuthenticationState(user),
            services.GetRequiredService<TimeProvider>());
    }

    /// <summary>The body of <c>POST /api/dashboard/terminals/sync</c>: one terminal, or all when null.</summary>
    internal sealed record SyncRequest(string? TerminalId);

    private sealed class FixedAuthenticationState(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }
}
