namespace Bms.Server.Api.Contracts;

/// <summary>A line of a sale as the API shows it.</summary>
internal sealed record TransactionLineDto(int ProductId, string Sku, string Name, int Quantity, decimal UnitPrice, decimal LineTotal);
