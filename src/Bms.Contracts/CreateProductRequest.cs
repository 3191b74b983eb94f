namespace Bms.Contracts;

/// <summary>Body of <c>POST /api/products</c>.</summary>
public sealed record CreateProductRequest(
    int? StoreId, string? Sku, string? Name, decimal? Price, int? Quantity, int? LowStockThreshold);
