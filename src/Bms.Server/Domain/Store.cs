namespace Bms.Server.Domain;

/// <summary>A shop. Products, stock, terminals and sales belong to exactly one store.</summary>
internal sealed class Store
{
    public int Id { get; set; }

    public required string Name { get; set; }

    public DateTime CreatedAt { get; set; }
}
