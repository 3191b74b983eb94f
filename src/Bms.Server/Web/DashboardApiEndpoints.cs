using System.Globalization;
using System.Security.Claims;
using Bms.Realtime.Server.Namespaces;
using Bms.Server.Auth;
using Bms.Server.Realtime;
using Bms.Web.Components.Models;
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
        group.MapGet("/terminals", async (HttpContext context, CancellationToken ct) =>
            (await Directory(context).GetTerminalsAsync(ct)).Select(ToDto).ToList());
        group.MapPost("/terminals/sync", async (TerminalSyncRequest request, HttpContext context, CancellationToken ct) =>
            new TerminalSyncResponse(await Directory(context).RequestSyncAsync(request.TerminalId, ct)));
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

    /// <summary>The dashboard's view of a terminal as its <see cref="DashboardTerminalDto"/> contract (the same JSON fields).</summary>
    private static DashboardTerminalDto ToDto(TerminalStatus s) => new(
        s.TerminalId, s.Name, s.StoreId, s.IsConnected, (int)s.SyncState, s.PendingTransactions, s.PendingProducts, s.LastSyncAt,
        s.LastReportAt, s.LastError, s.Errors, s.Latency, (int)s.Health);

    private sealed class FixedAuthenticationState(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }
}
