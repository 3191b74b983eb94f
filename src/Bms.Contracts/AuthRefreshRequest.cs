namespace Bms.Contracts;

/// <summary>The argument of <c>auth:refresh</c>: <c>{token}</c>, a fresh access token of the same principal.</summary>
/// <param name="Token">The new access token.</param>
public sealed record AuthRefreshRequest(string Token);
