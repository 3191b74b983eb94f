using System.Globalization;
using System.Security.Claims;
using Bms.Server.Auth;

namespace Bms.Server.Web;

/// <summary>
/// The dashboard's cookie session: scheme name and the claims it carries. The cookie holds the API token pair from
/// <c>AuthService.LoginAsync</c> (the same service as <c>POST /api/auth/login</c>), so the dashboard calls the API and
/// the real-time namespaces as that user.
/// </summary>
internal static class DashboardAuth
{
    /// <summary>The cookie authentication scheme (separate from the API's JWT bearer scheme).</summary>
    public const string Scheme = "BmsDashboard";

    /// <summary>Policy of every dashboard page: signed in through the dashboard cookie.</summary>
    public const string Policy = "dashboard";

    /// <summary>Policy of the admin page: signed in through the dashboard cookie with role admin.</summary>
    public const string AdminPolicy = "dashboard-admin";

    public const string AccessTokenClaim = "bms:access_token";
    public const string RefreshTokenClaim = "bms:refresh_token";
    public const string ExpiresAtClaim = "bms:expires_at";
    public const string SessionClaim = "bms:session";
    public const string StoreClaim = "bms:store";

    /// <summary>The principal for a successful login.</summary>
    public static ClaimsPrincipal CreatePrincipal(LoginResponse login)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, login.User.Id.ToString(CultureInfo.InvariantCulture)),
            // The backend's default authorization policy (signed in) asks for its subject claim.
            new(BmsClaimTypes.Subject, login.User.Id.ToString(CultureInfo.InvariantCulture)),
            new(BmsClaimTypes.Kind, BmsClaimTypes.KindUser),
            new(ClaimTypes.Name, login.User.Username),
            new(AccessTokenClaim, login.AccessToken),
            new(RefreshTokenClaim, login.RefreshToken),
            new(ExpiresAtClaim, login.ExpiresAt.ToString("O", CultureInfo.InvariantCulture)),
            new(SessionClaim, Guid.NewGuid().ToString("N")),
        };
        claims.AddRange(login.User.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        claims.AddRange(login.User.StoreIds.Select(s => new Claim(StoreClaim, s.ToString(CultureInfo.InvariantCulture))));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>The store ids of a dashboard principal.</summary>
    public static IReadOnlyList<int> StoreIds(ClaimsPrincipal user) =>
        [.. user.FindAll(StoreClaim).Select(c => int.TryParse(c.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : -1).Where(id => id > 0)];

    /// <summary>A local return URL, or <c>/</c> (never an absolute or protocol-relative URL: no open redirect).</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.StartsWith("/\\", StringComparison.Ordinal) && !returnUrl.StartsWith("/signin", StringComparison.OrdinalIgnoreCase)
            ? returnUrl
            : "/";
}
