namespace Bms.Server.Api.Contracts;

/// <summary>A sale: <c>{id, storeId, total, lines, createdAt, ...}</c>.</summary>
internal sealed record TransactionDto(
    Guid Id, int StoreId, decimal Total, IReadOnlyList<TransactionLineDto> Lines, DateTime CreatedAt,
    string? IdempotencyKey, int? UserId, string? TerminalId);
