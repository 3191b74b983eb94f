using Bms.Server.Api;

namespace Bms.Server.Auth;

/// <summary>Reads the <see cref="BmsPrincipal"/> of an authenticated request.</summary>
internal static class HttpContextPrincipalExtensions
{
    public static BmsPrincipal GetBmsPrincipal(this HttpContext context) =>
        BmsPrincipal.FromClaims(context.User) ?? throw ApiException.Unauthorized("The token does not name a user or terminal.");
}
