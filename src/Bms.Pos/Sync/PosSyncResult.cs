namespace Bms.Pos.Sync;

/// <summary>
/// The answer for one item of <c>POST /api/pos/sync</c>: <c>{id, status, transactionId?, reason?, detail?, errors?,
/// negativeStock?, stock?}</c>; <c>status</c> is <c>accepted</c>, <c>duplicate</c> or <c>rejected</c>. <c>stock</c>
/// gives the server's quantity of each product of an accepted or duplicate sale at the time of the answer.
/// </summary>
public sealed record PosSyncResult(
    string? Id,
    string Status,
    Guid? TransactionId,
    string? Reason,
    string? Detail,
    IDictionary<string, string[]>? Errors,
    IReadOnlyList<PosNegativeStock>? NegativeStock,
    IReadOnlyList<PosStockLevel>? Stock = null);
