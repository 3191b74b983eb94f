namespace Bms.Contracts;

/// <summary>The answer of <c>POST /api/dashboard/terminals/sync</c>: <c>{asked}</c>.</summary>
/// <param name="Asked">How many connected terminals were sent <c>sync:request</c>.</param>
public sealed record TerminalSyncResponse(int Asked);
