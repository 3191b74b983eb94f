using Bms.Server.Api;
using Bms.Server.Auth;
using Bms.Server.Data;
using Bms.Server.Events;
using Microsoft.EntityFrameworkCore;

namespace Bms.Server.Services;

/// <summary>
/// Stock levels: list and manual adjustments with a reason. Only the caller's stores are visible (the context's
/// <see cref="StoreScope"/> filter). Scoped (one per request).
/// </summary>
internal sealed class InventoryService(BmsDbContext db, DomainEventPublisher events, TimeProvider time)
{
    private const int MaxAttempts = 10;

    public async Task<IReadOnlyList<InventoryItemDto>> ListAsync(BmsPrincipal caller, int? storeId, CancellationToken cancellationToken)
    {
        var query = db.Products.AsNoTracking().Include(p => p.Inventory).AsQueryable();
        if (storeId is { } id)
        {
            query = query.Where(p => p.StoreId == id);
        }

        var products = await query.OrderBy(p => p.Id).ToListAsync(cancellationToken);
        return products.Select(p =>
        {
            var quantity = p.Inventory?.Quantity ?? 0;
            var threshold = p.Inventory?.LowStockThreshold ?? 0;
            return new InventoryItemDto(p.Id, p.Sku, p.Name, p.StoreId, quantity, threshold, quantity <= threshold,
                p.Inventory?.UpdatedAt ?? p.UpdatedAt);
        }).ToList();
    }

    /// <summary>
/// Adds <c>delta</c> (may be negative) to a product's stock; the result may not go below zero (409
/// <c>insufficient_stock</c>) nor above <see cref="StockLimits.MaxQuantity"/> (409 <c>stock_limit</c>).
/// </summary>
    public async Task<AdjustInventoryResponse> AdjustAsync(BmsPrincipal caller, AdjustInventoryRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.ProductId is not > 0)
        {
            errors.Add("productId", "The productId field is required.");
        }

        if (request.Delta is null or 0)
        {
            errors.Add("delta", "The delta field is required and must not be 0.");
        }
        else if (request.Delta is < -1_000_000 or > 1_000_000)
        {
            errors.Add("delta", "The delta field must be between -1000000 and 1000000.");
        }

        errors.Required("reason", request.Reason, 200);
        errors.ThrowIfAny();

        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();

            // BEGIN IMMEDIATE on SQLite: adjustments and sales of one store queue instead of conflicting.
            await using var dbTransaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var product = await db.Products.Include(p => p.Inventory)
                .FirstOrDefaultAsync(p => p.Id == request.ProductId!.Value, cancellationToken);
            if (product?.Inventory is null)
            {
                throw ApiException.NotFound($"Product {request.ProductId}");
            }

            var item = product.Inventory;
            var next = (long)item.Quantity + request.Delta!.Value;
            if (next < 0)
            {
                throw ApiException.Conflict(
                    $"Stock of product {product.Id} is {item.Quantity}; it cannot go below zero.", "insufficient_stock");
            }

            if (next > StockLimits.MaxQuantity)
            {
                throw ApiException.Conflict(
                    $"Stock of product {product.Id} is {item.Quantity}; it cannot exceed {StockLimits.MaxQuantity}.", "stock_limit");
            }

            var now = time.GetUtcNow().UtcDateTime;
            var (updated, alert, movement) = StockChange.Apply(
                product, item, request.Delta.Value, request.Reason!.Trim(), caller.Actor, null, now);
            db.InventoryMovements.Add(movement);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                await dbTransaction.CommitAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                await dbTransaction.RollbackAsync(cancellationToken);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), time, cancellationToken);
                continue;
            }

            var raised = new List<DomainEvent> { events.Create(RealtimeEventNames.InventoryUpdated, updated, EventRoute.Store(product.StoreId)) };
            if (alert is not null)
            {
                raised.Add(events.Create(RealtimeEventNames.LowStockAlert, alert, EventRoute.Store(product.StoreId)));
            }

            await events.PublishAsync(raised, cancellationToken);
            return new AdjustInventoryResponse(product.Id, product.StoreId, updated.OldQuantity, updated.NewQuantity);
        }
    }
}
