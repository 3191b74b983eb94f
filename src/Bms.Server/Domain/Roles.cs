namespace Bms.Server.Domain;

/// <summary>The closed set of role names carried in tokens and stored on users.</summary>
internal static class Roles
{
    public const string Admin = "admin";
    public const string Manager = "manager";
    public const string Cashier = "cashier";

    /// <summary>The role of a POS terminal principal (never stored on a user).</summary>
    public const string Pos = "pos";

    /// <summary>The roles a user account may hold.</summary>
    public static readonly IReadOnlyList<string> UserRoles = [Admin, Manager, Cashier];

    public static bool IsUserRole(string? role) => role is Admin or Manager or Cashier;
}
