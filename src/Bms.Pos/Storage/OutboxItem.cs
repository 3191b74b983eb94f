namespace Bms.Pos.Storage;

/// <summary>
/// One transaction waiting in the outbox. <see cref="Payload"/> is the exact JSON sent to <c>POST /api/pos/sync</c>
/// (written in the same local transaction as the sale). <see cref="Sequence"/> orders the outbox (oldest first).
/// </summary>
public sealed record OutboxItem(
    long Sequence,
    Guid Id,
    string ReceiptNumber,
    string Payload,
    OutboxItemState State,
    int Attempts,
    string? LastError,
    DateTime CreatedAt,
    DateTime? LastAttemptAt);
