namespace Bms.Contracts;

/// <summary>
/// A product with its stock: the fixed contract of <c>GET /api/products</c>; <c>currency</c> is the ISO 4217 code of
/// its store (the currency of <c>price</c>).
/// </summary>
public sealed record ProductDto(
    int Id, string Sku, string Name, decimal Price, int Quantity, int LowStockThreshold, int StoreId, DateTime UpdatedAt,
    string Currency = "EUR");
