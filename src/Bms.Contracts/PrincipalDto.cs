namespace Bms.Contracts;

/// <summary>Answer of <c>GET /api/auth/me</c>: who the token belongs to.</summary>
/// <param name="Kind"><c>user</c> or <c>terminal</c>.</param>
/// <param name="Id">The user id (as text) or the terminal id.</param>
/// <param name="Name">The user name or the terminal's name.</param>
/// <param name="Roles">The roles, sorted.</param>
/// <param name="StoreIds">The stores the caller may act on, sorted.</param>
/// <param name="ExpiresAt">When the token expires (UTC).</param>
public sealed record PrincipalDto(string Kind, string Id, string Name, IReadOnlyList<string> Roles, IReadOnlyList<int> StoreIds, DateTime? ExpiresAt);
