namespace Bms.Web.Components.Models;

/// <summary>One line of a <see cref="TransactionInfo"/>.</summary>
public sealed record TransactionLineInfo
{
    /// <summary>Product id.</summary>
    public int ProductId { get; init; }

    /// <summary>Product SKU.</summary>
    public string Sku { get; init; } = "";

    /// <summary>Product name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Units sold.</summary>
    public int Quantity { get; init; }

    /// <summary>Price of one unit.</summary>
    public decimal UnitPrice { get; init; }

    /// <summary><see cref="Quantity"/> × <see cref="UnitPrice"/>.</summary>
    public decimal LineTotal { get; init; }
}
