namespace Bms.Web.Components.Models;

/// <summary>Data of <c>inventory:updated</c>.</summary>
public sealed record InventoryUpdate
{
    /// <summary>Product id.</summary>
    public int ProductId { get; init; }

    /// <summary>Store id.</summary>
    public int StoreId { get; init; }

    /// <summary>Product SKU.</summary>
    public string Sku { get; init; } = "";

    /// <summary>Product name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Quantity before the change.</summary>
    public int OldQuantity { get; init; }

    /// <summary>Quantity after the change.</summary>
    public int NewQuantity { get; init; }

    /// <summary>Why the quantity changed (<c>sale</c>, <c>delivery</c>...).</summary>
    public string Reason { get; init; } = "";

    /// <summary>The product's low-stock threshold.</summary>
    public int LowStockThreshold { get; init; }
}
