namespace Bms.Web.Client;

/// <summary>
/// The dashboard's authorization policies. The names match the host's cookie policies, so a page's
/// <c>[Authorize(Policy = ...)]</c> is enforced on the server (the page request) and in the browser (navigation).
/// </summary>
public static class DashboardPolicies
{
    /// <summary>Every dashboard page: a signed-in user.</summary>
    public const string SignedIn = "dashboard";

    /// <summary>The admin page: a signed-in user with role <c>admin</c>.</summary>
    public const string Admin = "dashboard-admin";

    /// <summary>The admin role.</summary>
    public const string AdminRole = "admin";
}
