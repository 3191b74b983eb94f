namespace Bms.Server.Services;

/// <summary>
/// A sale to record. <see cref="TransactionId"/> and <see cref="CreatedAt"/> let POS sync keep the terminal's own id
/// and time; <see cref="AllowNegativeStock"/> is true there, because an offline sale already happened and must never
/// be dropped (the negative stock is reported instead).
/// </summary>
internal sealed record SaleDraft(
    int StoreId,
    IReadOnlyList<SaleDraftLine> Lines,
    string? IdempotencyKey,
    Guid? TransactionId = null,
    DateTime? CreatedAt = null,
    bool AllowNegativeStock = false);
