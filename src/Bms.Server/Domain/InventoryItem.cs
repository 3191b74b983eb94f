namespace Bms.Server.Domain;

/// <summary>The stock of one product (one row per product, same store as the product).</summary>
internal sealed class InventoryItem
{
    public int ProductId { get; set; }

    public int StoreId { get; set; }

    /// <summary>May go negative only through POS sync (a sale already made offline is never dropped).</summary>
    public int Quantity { get; set; }

    public int LowStockThreshold { get; set; }

    /// <summary>
    /// True after a <c>low-stock:alert</c> was raised for the current crossing; reset when the quantity rises
    /// above the threshold again, so an alert is raised once per crossing.
    /// </summary>
    public bool LowStockAlerted { get; set; }

    /// <summary>Optimistic concurrency token, incremented on every change.</summary>
    public int Version { get; set; }

    public DateTime UpdatedAt { get; set; }
}
