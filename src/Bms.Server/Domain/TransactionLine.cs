namespace Bms.Server.Domain;

/// <summary>One line of a sale, with the price and name captured at the time of sale.</summary>
internal sealed class TransactionLine
{
    public long Id { get; set; }

    public Guid TransactionId { get; set; }

    public int ProductId { get; set; }

    public required string Sku { get; set; }

    public required string Name { get; set; }

    public int Quantity { get; set; }

    public decimal UnitPrice { get; set; }

    public decimal LineTotal { get; set; }
}
