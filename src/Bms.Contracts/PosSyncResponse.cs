namespace Bms.Contracts;

/// <summary>Answer of <c>POST /api/pos/sync</c>: one result per item, in request order, plus totals and the server time.</summary>
public sealed record PosSyncResponse(
    IReadOnlyList<PosSyncItemResult> Results, int Accepted, int Duplicates, int Rejected, DateTime ServerTime);
