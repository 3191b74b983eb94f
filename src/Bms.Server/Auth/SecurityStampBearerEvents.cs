using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Bms.Server.Auth;

/// <summary>
/// The REST bearer scheme's check after the token's signature and lifetime passed: a user token whose security stamp is
/// no longer the user's (disabled, roles or stores changed, password changed, refresh family revoked) fails, so the
/// request is answered <c>401</c> like any invalid token.
/// </summary>
internal static class SecurityStampBearerEvents
{
    public static async Task OnTokenValidatedAsync(TokenValidatedContext context)
    {
        if (context.Principal is null || BmsPrincipal.FromClaims(context.Principal) is not { } principal)
        {
            context.Fail("The token does not name a user or terminal.");
            return;
        }

        var stamps = context.HttpContext.RequestServices.GetRequiredService<SecurityStampCache>();
        if (!await stamps.IsCurrentAsync(principal, context.HttpContext.RequestAborted))
        {
            context.Fail("The token has been revoked.");
        }
    }
}
