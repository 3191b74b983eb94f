namespace Bms.Web.Components.Models;

/// <summary>A product with its stock, as <c>GET /api/products</c> returns it.</summary>
public sealed record ProductInfo
{
    /// <summary>Product id (stable).</summary>
    public int Id { get; init; }

    /// <summary>Stock-keeping unit.</summary>
    public string Sku { get; init; } = "";

    /// <summary>Display name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Unit price.</summary>
    public decimal Price { get; init; }

    /// <summary>Quantity in stock.</summary>
    public int Quantity { get; init; }

    /// <summary>At or below this quantity the product counts as low on stock.</summary>
    public int LowStockThreshold { get; init; }

    /// <summary>The store holding the stock.</summary>
    public int StoreId { get; init; }

    /// <summary>The ISO 4217 code of its store's currency (e.g. <c>EUR</c>); empty when the server did not say.</summary>
    public string Currency { get; init; } = "";

    /// <summary>True when <see cref="Quantity"/> is at or below <see cref="LowStockThreshold"/>.</summary>
    public bool IsLowStock => Quantity <= LowStockThreshold;
}
