using Microsoft.EntityFrameworkCore;

namespace Bms.Server.Tests.Infrastructure;

/// <summary>Test helper: the rows a rejected request must not change, for "no change in the database" checks.</summary>
public sealed record DatabaseSnapshot(int Transactions, int Lines, int Movements, int Products, string Stock, int Notifications, int Keys)
{
    public static async Task<DatabaseSnapshot> TakeAsync(BmsServerHost host) =>
        await host.WithDbAsync(async db => new DatabaseSnapshot(
            await db.Transactions.CountAsync(),
            await db.TransactionLines.CountAsync(),
            await db.InventoryMovements.CountAsync(),
            await db.Products.CountAsync(),
            string.Join(",", (await db.Inventory.OrderBy(i => i.ProductId).ToListAsync()).Select(i => $"{i.ProductId}:{i.Quantity}:{i.LowStockThreshold}")),
            await db.Notifications.CountAsync(),
            await db.ProcessedIdempotencyKeys.CountAsync()));
}
