namespace Bms.Contracts;

/// <summary>The signed-in user inside a login/refresh response.</summary>
public sealed record AuthUserDto(int Id, string Username, IReadOnlyList<string> Roles, IReadOnlyList<int> StoreIds);
