namespace Bms.Server.Api.Contracts;

/// <summary>Answer to login and refresh: <c>{accessToken, refreshToken, expiresAt, user}</c>.</summary>
internal sealed record LoginResponse(string AccessToken, string RefreshToken, DateTime ExpiresAt, AuthUserDto User);
