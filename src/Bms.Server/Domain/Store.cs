namespace Bms.Server.Domain;

/// <summary>A shop. Products, stock, terminals and sales belong to exactly one store.</summary>
internal sealed class Store
{
    /// <summary>The currency of a store that names none.</summary>
    public const string DefaultCurrency = "EUR";

    public int Id { get; set; }

    public required string Name { get; set; }

    /// <summary>The ISO 4217 code of the store's prices and sales (e.g. <c>EUR</c>). Default <see cref="DefaultCurrency"/>.</summary>
    public string Currency { get; set; } = DefaultCurrency;

    public DateTime CreatedAt { get; set; }
}
