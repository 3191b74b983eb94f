namespace Bms.Contracts;

/// <summary>One line of <see cref="CreateTransactionRequest"/>.</summary>
public sealed record SaleLineRequest(int? ProductId, int? Quantity);
