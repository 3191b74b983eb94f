namespace Bms.Contracts;

/// <summary>A line of a sale as the API shows it.</summary>
public sealed record TransactionLineDto(int ProductId, string Sku, string Name, int Quantity, decimal UnitPrice, decimal LineTotal);
