using Bms.Server.Domain;
using Bms.Server.Events;

namespace Bms.Server.Services;

/// <summary>
/// Applies a quantity change to an <see cref="InventoryItem"/> and says which events it causes: always
/// <c>inventory:updated</c>, and <c>low-stock:alert</c> only when the quantity crosses to at or below the threshold
/// (the <see cref="InventoryItem.LowStockAlerted"/> flag makes it once per crossing).
/// </summary>
internal static class StockChange
{
    public static (InventoryUpdatedData Updated, LowStockAlertData? Alert, InventoryMovement Movement) Apply(
        Product product, InventoryItem item, int delta, string reason, string? actor, Guid? transactionId, DateTime now)
    {
        var oldQuantity = item.Quantity;
        item.Quantity = checked(oldQuantity + delta);
        item.Version++;
        item.UpdatedAt = now;

        var alert = Reevaluate(product, item);
        var updated = new InventoryUpdatedData(
            product.Id, product.StoreId, product.Sku, product.Name, oldQuantity, item.Quantity, delta, reason,
            item.LowStockThreshold, transactionId);
        var movement = new InventoryMovement
        {
            ProductId = product.Id,
            StoreId = product.StoreId,
            Delta = delta,
            OldQuantity = oldQuantity,
            NewQuantity = item.Quantity,
            Reason = reason,
            Actor = actor,
            TransactionId = transactionId,
            CreatedAt = now,
        };
        return (updated, alert, movement);
    }

    /// <summary>
    /// Updates the alert flag for the current quantity and threshold; returns the alert to raise, if this is a new
    /// crossing. Also used when the threshold itself changes.
    /// </summary>
    public static LowStockAlertData? Reevaluate(Product product, InventoryItem item)
    {
        if (item.Quantity > item.LowStockThreshold)
        {
            item.LowStockAlerted = false;
            return null;
        }

        if (item.LowStockAlerted)
        {
            return null;
        }

        item.LowStockAlerted = true;
        return new LowStockAlertData(product.Id, product.StoreId, product.Sku, product.Name, item.Quantity, item.LowStockThreshold);
    }
}
