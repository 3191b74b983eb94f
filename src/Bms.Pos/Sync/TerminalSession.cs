namespace Bms.Pos.Sync;

/// <summary>The answer of <c>POST /api/auth/terminal</c>: <c>{accessToken, expiresAt, terminal:{id, name, storeId}}</c>.</summary>
public sealed record TerminalSession(string AccessToken, DateTime ExpiresAt, TerminalInfo Terminal);
