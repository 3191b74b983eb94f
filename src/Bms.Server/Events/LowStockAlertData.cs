namespace Bms.Server.Events;

/// <summary>Data of <c>low-stock:alert</c>: raised once each time a quantity crosses to at or below its threshold.</summary>
internal sealed record LowStockAlertData(int ProductId, int StoreId, string Sku, string Name, int Quantity, int LowStockThreshold);
