namespace Bms.Contracts;

/// <summary>Answer to login and refresh: <c>{accessToken, refreshToken, expiresAt, user}</c>.</summary>
public sealed record LoginResponse(string AccessToken, string RefreshToken, DateTime ExpiresAt, AuthUserDto User);
