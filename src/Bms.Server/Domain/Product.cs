namespace Bms.Server.Domain;

/// <summary>A product sold in one store. Its id is stable for the life of the database.</summary>
internal sealed class Product
{
    public int Id { get; set; }

    public int StoreId { get; set; }

    /// <summary>Unique within the store.</summary>
    public required string Sku { get; set; }

    public required string Name { get; set; }

    public decimal Price { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public InventoryItem? Inventory { get; set; }
}
