namespace Bms.Contracts;

/// <summary>The signed-in user as the dashboard token endpoint describes it.</summary>
/// <param name="Id">The user's id (as text).</param>
/// <param name="Name">The user name.</param>
/// <param name="Roles">The user's roles.</param>
/// <param name="StoreIds">The stores the user may see.</param>
public sealed record DashboardUser(string Id, string Name, IReadOnlyList<string> Roles, IReadOnlyList<int> StoreIds);
