namespace Bms.Contracts;

/// <summary>Body of <c>POST /api/auth/terminal</c>.</summary>
public sealed record TerminalLoginRequest(string? TerminalId, string? Secret);
