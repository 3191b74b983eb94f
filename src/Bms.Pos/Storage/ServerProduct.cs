namespace Bms.Pos.Storage;

/// <summary>A product as the server reports it (<c>GET /api/pos/catalog</c>, <c>product:updated</c>); camelCase JSON.</summary>
public sealed record ServerProduct(
    int Id, string Sku, string Name, decimal Price, int Quantity, int LowStockThreshold, int StoreId, DateTime UpdatedAt);
