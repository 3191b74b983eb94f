using Bms.Server.Domain;
using Microsoft.AspNetCore.Authorization;

namespace Bms.Server.Auth;

/// <summary>Authorization policy names and their role requirements.</summary>
internal static class Policies
{
    /// <summary>Role admin.</summary>
    public const string Admin = "admin";

    /// <summary>Roles admin, manager.</summary>
    public const string Manager = "manager";

    /// <summary>Roles admin, manager, cashier, pos: may record sales.</summary>
    public const string Seller = "seller";

    /// <summary>Any valid token (user or terminal).</summary>
    public const string SignedIn = "signed-in";

    public static void Configure(AuthorizationOptions options)
    {
        options.AddPolicy(SignedIn, p => p.RequireAuthenticatedUser().RequireClaim(BmsClaimTypes.Subject));
        options.AddPolicy(Admin, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin));
        options.AddPolicy(Manager, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin, Roles.Manager));
        options.AddPolicy(Seller, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin, Roles.Manager, Roles.Cashier, Roles.Pos));
        options.DefaultPolicy = options.GetPolicy(SignedIn)!;
    }
}
