namespace Bms.Web.Components.Models;

/// <summary>Data of <c>low-stock:alert</c>.</summary>
public sealed record LowStockAlert
{
    /// <summary>Product id.</summary>
    public int ProductId { get; init; }

    /// <summary>Store id.</summary>
    public int StoreId { get; init; }

    /// <summary>Product SKU.</summary>
    public string Sku { get; init; } = "";

    /// <summary>Product name.</summary>
    public string Name { get; init; } = "";

    /// <summary>The quantity that crossed the threshold.</summary>
    public int Quantity { get; init; }

    /// <summary>The threshold.</summary>
    public int LowStockThreshold { get; init; }
}
