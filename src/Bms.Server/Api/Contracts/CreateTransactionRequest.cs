namespace Bms.Server.Api.Contracts;

/// <summary>Body of <c>POST /api/transactions</c>.</summary>
internal sealed record CreateTransactionRequest(int? StoreId, IReadOnlyList<SaleLineRequest?>? Lines, string? IdempotencyKey);
