namespace Bms.Contracts;

/// <summary>Data of <c>inventory:updated</c>.</summary>
public sealed record InventoryUpdatedData(
    int ProductId, int StoreId, string Sku, string Name, int OldQuantity, int NewQuantity, int Delta, string Reason,
    int LowStockThreshold, Guid? TransactionId);
