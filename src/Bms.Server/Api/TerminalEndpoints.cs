using Bms.Server.Auth;
using Bms.Server.Data;
using Bms.Server.Realtime;
using Microsoft.EntityFrameworkCore;

namespace Bms.Server.Api;

/// <summary><c>GET /api/terminals</c>: terminals of the caller's stores (all for admins) with their last sync report (manager, admin).</summary>
internal static class TerminalEndpoints
{
    public static void MapTerminalEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/terminals", async (HttpContext context, BmsDbContext db, TerminalStatusBoard board, CancellationToken ct) =>
        {
            var caller = context.GetBmsPrincipal();
            var stores = caller.StoreIds.ToArray();
            var query = db.Terminals.AsNoTracking();
            if (!caller.IsAdmin)
            {
                query = query.Where(t => stores.Contains(t.StoreId));
            }

            var terminals = await query.OrderBy(t => t.Id).ToListAsync(ct);
            return terminals.Select(t => new TerminalStatusDto(t.Id, t.Name, t.StoreId, t.IsActive, t.LastSeenAt, board.Get(t.Id))).ToList();
        }).WithTags("Terminals").RequireAuthorization(Policies.Manager);
    }
}
