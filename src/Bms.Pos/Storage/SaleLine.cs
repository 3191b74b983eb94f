namespace Bms.Pos.Storage;

/// <summary>One line of a local sale, with the price and name captured from the cache at the time of sale.</summary>
public sealed record SaleLine(int ProductId, string Sku, string Name, int Quantity, decimal UnitPrice)
{
    /// <summary><see cref="UnitPrice"/> × <see cref="Quantity"/>.</summary>
    public decimal LineTotal => UnitPrice * Quantity;
}
