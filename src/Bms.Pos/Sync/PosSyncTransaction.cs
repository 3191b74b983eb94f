namespace Bms.Pos.Sync;

/// <summary>
/// One sale as sent in a <c>POST /api/pos/sync</c> batch (camelCase JSON):
/// <c>{id, receiptNumber, storeId, createdAt, total, lines:[{productId, quantity, unitPrice}]}</c>. <see cref="Id"/> is
/// the UUIDv7 made on the terminal and the idempotency key; the server prices the sale from its own catalogue and
/// keeps <see cref="Id"/> and <see cref="CreatedAt"/>.
/// </summary>
public sealed record PosSyncTransaction(
    Guid Id, string ReceiptNumber, int StoreId, DateTime CreatedAt, decimal Total, IReadOnlyList<PosSyncLine> Lines);
