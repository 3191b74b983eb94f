namespace Bms.Contracts;

/// <summary>
/// The answer for one item: <c>status</c> is <c>accepted</c> (applied now), <c>duplicate</c> (applied before; same
/// idempotency key) or <c>rejected</c> with <c>reason</c> (a code: <c>malformed</c>, <c>oversized</c>, <c>invalid_id</c>,
/// <c>validation_failed</c>, <c>forbidden</c>, <c>idempotency_key_reused</c>, <c>negative_stock_limit</c>,
/// <c>out_of_range</c>), <c>detail</c> and field <c>errors</c>.
/// <c>negativeStock</c> lists products this sale left below zero (the sale is kept; the shortfall is reported).
/// <c>stock</c> (accepted and duplicate) gives the server's quantity of every product of the sale at the time of the
/// answer, so a terminal can drop its local deduction and take the server's figure in one step (no moment where the
/// sale is counted twice or not at all).
/// </summary>
public sealed record PosSyncItemResult(
    string? Id,
    string Status,
    Guid? TransactionId = null,
    string? Reason = null,
    string? Detail = null,
    IDictionary<string, string[]>? Errors = null,
    IReadOnlyList<PosStockLevel>? NegativeStock = null,
    IReadOnlyList<PosStockLevel>? Stock = null);
