namespace Bms.Contracts;

/// <summary>One row of <c>GET /api/inventory</c>.</summary>
public sealed record InventoryItemDto(
    int ProductId, string Sku, string Name, int StoreId, int Quantity, int LowStockThreshold, bool IsLowStock,
    DateTime UpdatedAt);
