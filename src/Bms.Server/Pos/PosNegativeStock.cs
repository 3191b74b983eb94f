namespace Bms.Server.Pos;

/// <summary>A product whose stock went below zero through POS sync: <c>{productId, sku, quantity}</c>.</summary>
internal sealed record PosNegativeStock(int ProductId, string Sku, int Quantity);
