namespace Bms.Pos.Storage;

/// <summary>
/// Who this terminal is, cached in the data file after the first successful sign-in so the till can start and sell
/// offline: terminal id, store, name, server URL and the last access token with its expiry. The secret is never stored.
/// </summary>
public sealed record TerminalIdentity(
    string TerminalId, int StoreId, string? Name, string ServerUrl, string? AccessToken, DateTime? TokenExpiresAt);
