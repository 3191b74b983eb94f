namespace Bms.Server.Domain;

/// <summary>A completed sale. <see cref="IdempotencyKey"/> is unique, so a retried request never sells twice.</summary>
internal sealed class SalesTransaction
{
    public Guid Id { get; set; }

    public int StoreId { get; set; }

    public string? IdempotencyKey { get; set; }

    public int? UserId { get; set; }

    public string? TerminalId { get; set; }

    public decimal Total { get; set; }

    public DateTime CreatedAt { get; set; }

    public List<TransactionLine> Lines { get; set; } = [];
}
