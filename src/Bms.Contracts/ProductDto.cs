namespace Bms.Contracts;

/// <summary>A product with its stock: the fixed contract of <c>GET /api/products</c>.</summary>
public sealed record ProductDto(
    int Id, string Sku, string Name, decimal Price, int Quantity, int LowStockThreshold, int StoreId, DateTime UpdatedAt);
