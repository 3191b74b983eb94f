namespace Bms.Contracts;

/// <summary>A user as the API shows it (never the password hash).</summary>
public sealed record UserDto(
    int Id, string Username, string? DisplayName, bool IsActive, IReadOnlyList<string> Roles, IReadOnlyList<int> StoreIds,
    DateTime UpdatedAt);
