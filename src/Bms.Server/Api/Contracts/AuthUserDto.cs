namespace Bms.Server.Api.Contracts;

/// <summary>The signed-in user inside a login/refresh response.</summary>
internal sealed record AuthUserDto(int Id, string Username, IReadOnlyList<string> Roles, IReadOnlyList<int> StoreIds);
