namespace Bms.Server.Api.Contracts;

/// <summary>Answer to terminal sign-in: <c>{accessToken, expiresAt, terminal}</c>.</summary>
internal sealed record TerminalLoginResponse(string AccessToken, DateTime ExpiresAt, TerminalDto Terminal);
