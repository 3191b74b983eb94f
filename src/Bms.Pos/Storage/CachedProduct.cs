namespace Bms.Pos.Storage;

/// <summary>
/// A product in the terminal's local catalogue. <see cref="Quantity"/> is the last stock the server reported plus the
/// local sales it has not confirmed yet (<see cref="ServerQuantity"/> + pending deltas), so the till shows what is
/// really left on the shelf while offline.
/// </summary>
public sealed record CachedProduct(
    int Id,
    string Sku,
    string Name,
    decimal Price,
    int Quantity,
    int ServerQuantity,
    int LowStockThreshold,
    int StoreId,
    DateTime UpdatedAt)
{
    /// <summary>True when the (provisional) quantity is at or below the low-stock threshold.</summary>
    public bool IsLowStock => Quantity <= LowStockThreshold;
}
