using System.Text.Json;
using Bms.Server.Api;
using Bms.Server.Auth;
using Bms.Server.Data;
using Bms.Server.Domain;
using Bms.Server.Events;
using Bms.Server.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bms.Server.Pos;

/// <summary>
/// <c>/api/pos</c>, for terminals and cashiers (roles <c>pos</c>, <c>cashier</c>):
/// <list type="bullet">
/// <item><c>POST /api/pos/sync {transactions:[…]}</c> → 200 <see cref="PosSyncResponse"/>: each sale applied once by its
/// id (idempotency key), answered accepted / duplicate / rejected{reason}; a bad item never blocks the rest.</item>
/// <item><c>GET /api/pos/catalog?since=</c> → 200 <see cref="PosCatalogResponse"/>: products and stock changed since the
/// cursor (everything without one). A cursor before <see cref="PosSyncLimits.EarliestCursor"/> or one that is not a
/// time is answered 400 Problem Details.</item>
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
            IOptions<PosSyncOptions> options, TimeProvider time, ILoggerFactory loggers, CancellationToken ct) =>
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

            var processor = new PosSyncProcessor(db, sales, events, options.Value, time, loggers.CreateLogger<PosSyncProcessor>());
            return TypedResults.Ok(await processor.ApplyAsync(caller, body, ct));
        }).Accepts<PosSyncRequest>("application/json");

        group.MapGet("/catalog", async (DateTimeOffset? since, BmsDbContext db, TimeProvider time, CancellationToken ct) =>
        {
            // The caller's stores only: the context's store filter.
            var serverTime = time.GetUtcNow().UtcDateTime;
            IQueryable<Product> query = db.Products.AsNoTracking().Include(p => p.Inventory);
            if (since is { } cursor)
            {
                if (cursor < PosSyncLimits.EarliestCursor)
                {
                    // Also keeps the overlap subtraction below in range (0001-01-01 minus 2 s does not exist).
                    throw ApiException.Validation("since", $"The since cursor must be {PosSyncLimits.EarliestCursor:yyyy-MM-dd} or later (an ISO 8601 time).");
                }

                var after = cursor.UtcDateTime - PosSyncLimits.CursorOverlap;
                query = query.Where(p => p.UpdatedAt > after || (p.Inventory != null && p.Inventory.UpdatedAt > after));
            }

            var products = await query.OrderBy(p => p.Id).ToListAsync(ct);
            return TypedResults.Ok(new PosCatalogResponse(products.Select(p => p.ToDto()).ToList(), serverTime, since is null));
        });
    }
}
