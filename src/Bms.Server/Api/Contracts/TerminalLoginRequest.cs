namespace Bms.Server.Api.Contracts;

/// <summary>Body of <c>POST /api/auth/terminal</c>.</summary>
internal sealed record TerminalLoginRequest(string? TerminalId, string? Secret);
