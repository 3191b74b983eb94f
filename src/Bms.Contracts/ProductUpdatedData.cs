namespace Bms.Contracts;

/// <summary>Data of <c>product:updated</c>; <see cref="Action"/> is <c>created</c> or <c>updated</c>.</summary>
public sealed record ProductUpdatedData(
    int Id, string Sku, string Name, decimal Price, int Quantity, int LowStockThreshold, int StoreId, DateTime UpdatedAt,
    string Action);
