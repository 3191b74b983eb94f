namespace Bms.Pos.Sync;

/// <summary>
/// A product's stock on the server when a synced sale was answered: <c>{productId, sku, quantity}</c> (the
/// <c>stock</c> list of an accepted or duplicate item).
/// </summary>
public sealed record PosStockLevel(int ProductId, string Sku, int Quantity);
