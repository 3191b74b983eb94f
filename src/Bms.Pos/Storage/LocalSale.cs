namespace Bms.Pos.Storage;

/// <summary>
/// A sale recorded on the terminal. <see cref="Id"/> is a client-generated UUIDv7 and doubles as the idempotency key;
/// <see cref="ReceiptNumber"/> is the terminal id plus a per-terminal sequence (<c>POS-001-000042</c>), so terminals
/// never collide.
/// </summary>
public sealed record LocalSale(
    Guid Id, string ReceiptNumber, int StoreId, DateTime CreatedAt, decimal Total, IReadOnlyList<SaleLine> Lines);
