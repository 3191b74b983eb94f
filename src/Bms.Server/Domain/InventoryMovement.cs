namespace Bms.Server.Domain;

/// <summary>Audit record of one stock change (adjustment or sale).</summary>
internal sealed class InventoryMovement
{
    public long Id { get; set; }

    public int ProductId { get; set; }

    public int StoreId { get; set; }

    public int Delta { get; set; }

    public int OldQuantity { get; set; }

    public int NewQuantity { get; set; }

    public required string Reason { get; set; }

    /// <summary>User id or terminal id of whoever made the change.</summary>
    public string? Actor { get; set; }

    public Guid? TransactionId { get; set; }

    public DateTime CreatedAt { get; set; }
}
