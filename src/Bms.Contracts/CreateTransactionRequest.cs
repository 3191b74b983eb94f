namespace Bms.Contracts;

/// <summary>Body of <c>POST /api/transactions</c>.</summary>
public sealed record CreateTransactionRequest(int? StoreId, IReadOnlyList<SaleLineRequest?>? Lines, string? IdempotencyKey);
