namespace Bms.Contracts;

/// <summary>Answer to terminal sign-in: <c>{accessToken, expiresAt, terminal}</c>.</summary>
public sealed record TerminalLoginResponse(string AccessToken, DateTime ExpiresAt, TerminalDto Terminal);
