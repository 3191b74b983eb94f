namespace Bms.Contracts;

/// <summary>The body of <c>POST /api/dashboard/terminals/sync</c>: one terminal, or every terminal of the caller's stores.</summary>
/// <param name="TerminalId">The terminal to ask, e.g. <c>POS-001</c>; null for all.</param>
public sealed record TerminalSyncRequest(string? TerminalId);
