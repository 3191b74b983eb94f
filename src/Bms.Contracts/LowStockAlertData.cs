namespace Bms.Contracts;

/// <summary>Data of <c>low-stock:alert</c>: raised once each time a quantity crosses to at or below its threshold.</summary>
public sealed record LowStockAlertData(int ProductId, int StoreId, string Sku, string Name, int Quantity, int LowStockThreshold);
