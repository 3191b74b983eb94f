namespace Bms.Pos.Sync;

/// <summary>The body of a <c>POST /api/pos/sync</c> answer: results in request order, totals and the server's time.</summary>
public sealed record PosSyncResponse(IReadOnlyList<PosSyncResult> Results, int Accepted, int Duplicates, int Rejected, DateTime ServerTime);
