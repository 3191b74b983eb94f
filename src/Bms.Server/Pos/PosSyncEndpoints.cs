using System.Text.Json;
using Bms.Server.Api;
using Bms.Server.Auth;
using Bms.Server.Data;
using Bms.Server.Domain;
using Bms.Server.Events;
using Bms.Server.Services;
using Microsoft.EntityFrameworkCore;

namespace Bms.Server.Pos;

/// <summary>
/// <c>/api/pos</c>, for terminals and cashiers (roles <c>pos</c>, <c>cashier</c>):
/// <list type="bullet">
/// <item><c>POST /api/pos/sync {transactions:[…]}</c> → 200 <see cref="PosSyncResponse"/>: each sale applied once by its
/// id (idempotency key), answered accepted / duplicate / rejected{reason}; a bad item never blocks the rest.</item>
/// <item><c>GET /api/pos/catalog?since=</c> → 200 <see cref="PosCatalogResponse"/>: products and stock changed since the
/// cursor (everything without one).</item>
/// </list>
/// </summary>
/// <example>
/// <code>
/// app.MapPosSyncEndpoints();
/// </code>
/// </example>
internal static class PosSyncEndpoints
{
    public static void MapPosSyncEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/pos").WithTags("POS")
            .RequireAuthorization(p => p.RequireAuthenticatedUser().RequireRole(Roles.Pos, Roles.Cashier));

        group.MapPost("/sync", async (HttpContext context, BmsDbContext db, SaleService sales, DomainEventPublisher events,
            TimeProvider time, ILoggerFactory loggers, CancellationToken ct) =>
        {
            var caller = context.GetBmsPrincipal();
            if (context.Request.ContentLength > PosSyncLimits.MaxBodyBytes)
            {
                throw new ApiException(StatusCodes.Status413PayloadTooLarge, "Payload Too Large",
                    $"A sync request may be at most {PosSyncLimits.MaxBodyBytes} bytes.", "payload_too_large");
            }

            JsonElement body;
            try
            {
                using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: ct);
                body = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                throw ApiException.Validation("body", "The request body is not valid JSON.");
            }

            var processor = new PosSyncProcessor(db, sales, events, time, loggers.CreateLogger<PosSyncProcessor>());
            return TypedResults.Ok(await processor.ApplyAsync(caller, body, ct));
        }).Accepts<PosSyncRequest>("application/json");

        group.MapGet("/catalog", async (DateTimeOffset? since, HttpContext context, BmsDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            var caller = context.GetBmsPrincipal();
            var serverTime = time.GetUtcNow().UtcDateTime;
            var stores = caller.StoreIds.ToArray();
            var query = db.Products.AsNoTracking().Include(p => p.Inventory).Where(p => stores.Contains(p.StoreId));
            if (since is { } cursor)
            {
                var after = cursor.UtcDateTime - PosSyncLimits.CursorOverlap;
                query = query.Where(p => p.UpdatedAt > after || (p.Inventory != null && p.Inventory.UpdatedAt > after));
            }

            var products = await query.OrderBy(p => p.Id).ToListAsync(ct);
            return TypedResults.Ok(new PosCatalogResponse(products.Select(p => p.ToDto()).ToList(), serverTime, since is null));
        });
    }
}
