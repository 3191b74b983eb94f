namespace Bms.Contracts;

/// <summary>
/// One sale in a <c>POST /api/pos/sync</c> batch: <c>{id, receiptNumber, storeId, createdAt, total, lines:[{productId,
/// quantity, unitPrice}]}</c>. <c>id</c> (a UUID made on the terminal) is the idempotency key and becomes the
/// transaction id; prices come from the server's catalogue (the terminal's <c>unitPrice</c>/<c>total</c> are informative).
/// </summary>
public sealed record PosSyncItemRequest(
    string? Id, string? ReceiptNumber, int? StoreId, DateTime? CreatedAt, decimal? Total, IReadOnlyList<SaleLineRequest?>? Lines);
