namespace Bms.Web.Components;

/// <summary>Which table <see cref="RealTimeData"/> shows.</summary>
public enum RealTimeDataView
{
    /// <summary>The catalogue: SKU, name, price, stock.</summary>
    Products = 0,

    /// <summary>Stock levels with thresholds; low-stock rows highlighted.</summary>
    Inventory = 1,
}
