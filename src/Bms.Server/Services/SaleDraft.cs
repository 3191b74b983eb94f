namespace Bms.Server.Services;

/// <summary>
/// A sale to record. <see cref="TransactionId"/> and <see cref="CreatedAt"/> let POS sync keep the terminal's own id
/// and time. <see cref="NegativeStockAllowance"/> is how far below zero this sale may take a product's stock: 0 for
/// sales made online (they are refused with <c>insufficient_stock</c>), and the configured
/// <see cref="Pos.PosSyncOptions.NegativeStockAllowance"/> for POS sync, because an offline sale already happened
/// (the shortfall is reported); past it the sale is refused with <c>negative_stock_limit</c>.
/// </summary>
internal sealed record SaleDraft(
    int StoreId,
    IReadOnlyList<SaleDraftLine> Lines,
    string? IdempotencyKey,
    Guid? TransactionId = null,
    DateTime? CreatedAt = null,
    int NegativeStockAllowance = 0);
