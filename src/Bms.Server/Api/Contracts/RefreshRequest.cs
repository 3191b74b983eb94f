namespace Bms.Server.Api.Contracts;

/// <summary>Body of <c>POST /api/auth/refresh</c>.</summary>
internal sealed record RefreshRequest(string? RefreshToken);
