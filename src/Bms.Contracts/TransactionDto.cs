namespace Bms.Contracts;

/// <summary>
/// A sale: <c>{id, storeId, total, lines, createdAt, idempotencyKey, userId, terminalId, userName, currency}</c>;
/// <c>userName</c> is the selling user's name (null for terminal sales), <c>currency</c> the ISO 4217 code of its
/// store, <c>EUR</c> when not given (the currency of <c>total</c> and the line amounts).
/// </summary>
public sealed record TransactionDto(
    Guid Id, int StoreId, decimal Total, IReadOnlyList<TransactionLineDto> Lines, DateTime CreatedAt,
    string? IdempotencyKey, int? UserId, string? TerminalId, string? UserName = null, string Currency = "EUR");
