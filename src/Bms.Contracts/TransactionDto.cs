namespace Bms.Contracts;

/// <summary>
/// A sale: <c>{id, storeId, total, lines, createdAt, idempotencyKey, userId, terminalId, userName}</c>; <c>userName</c>
/// is the selling user's name (null for terminal sales).
/// </summary>
public sealed record TransactionDto(
    Guid Id, int StoreId, decimal Total, IReadOnlyList<TransactionLineDto> Lines, DateTime CreatedAt,
    string? IdempotencyKey, int? UserId, string? TerminalId, string? UserName = null);
