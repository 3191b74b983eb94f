namespace Bms.Contracts;

/// <summary>
/// A product's stock on the server when a sync item was answered: <c>{productId, sku, quantity}</c>. Used for
/// <c>stock</c> (every product of an accepted or duplicate sale) and <c>negativeStock</c> (those below zero).
/// </summary>
public sealed record PosStockLevel(int ProductId, string Sku, int Quantity);
