namespace Bms.Contracts;

/// <summary>Body of <c>PUT /api/users/{id}</c>; absent fields stay unchanged.</summary>
public sealed record UpdateUserRequest(
    string? DisplayName, bool? IsActive, IReadOnlyList<string?>? Roles, IReadOnlyList<int>? StoreIds, string? Password);
