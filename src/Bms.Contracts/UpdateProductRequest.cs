namespace Bms.Contracts;

/// <summary>Body of <c>PUT /api/products/{id}</c>; absent fields stay unchanged.</summary>
public sealed record UpdateProductRequest(string? Sku, string? Name, decimal? Price, int? LowStockThreshold);
