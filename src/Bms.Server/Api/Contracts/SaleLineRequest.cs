namespace Bms.Server.Api.Contracts;

/// <summary>One line of <see cref="CreateTransactionRequest"/>.</summary>
internal sealed record SaleLineRequest(int? ProductId, int? Quantity);
