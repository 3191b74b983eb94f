namespace Bms.Pos.Sync;

/// <summary>A product the server reports below zero after a synced sale: <c>{productId, sku, quantity}</c>.</summary>
public sealed record PosNegativeStock(int ProductId, string Sku, int Quantity);
