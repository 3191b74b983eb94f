namespace Bms.Contracts;

/// <summary>The acknowledgement of <c>auth:refresh</c>: <c>{ok:true, expiresAt}</c> or <c>{ok:false, error}</c>.</summary>
/// <param name="Ok">True when the socket now runs on the new token.</param>
/// <param name="ExpiresAt">The new token's expiry (UTC).</param>
/// <param name="Error"><c>unauthorized</c>, <c>token_expired</c> or <c>forbidden</c> (another principal).</param>
public sealed record AuthRefreshAck(bool Ok, DateTime? ExpiresAt = null, string? Error = null);
