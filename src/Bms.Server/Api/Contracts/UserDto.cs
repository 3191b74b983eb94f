namespace Bms.Server.Api.Contracts;

/// <summary>A user as the API shows it (never the password hash).</summary>
internal sealed record UserDto(
    int Id, string Username, string? DisplayName, bool IsActive, IReadOnlyList<string> Roles, IReadOnlyList<int> StoreIds,
    DateTime UpdatedAt);
