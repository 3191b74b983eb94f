using System.Globalization;
using System.Security.Claims;
using Bms.Server.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;

namespace Bms.Server.Web;

/// <summary>
/// <c>POST /dashboard/token</c>: the browser app's access token. Requires the dashboard cookie (401 otherwise, code
/// <c>unauthenticated</c>) and the page's antiforgery token in the <c>RequestVerificationToken</c> header (400, code
/// <c>antiforgery</c>). Answers <see cref="DashboardToken"/> <c>{accessToken, expiresIn, user: {id, name, roles, storeIds}}</c>, with a token
/// refreshed through <see cref="DashboardTokenStore"/> when close to expiry. The refresh token never leaves the server.
/// A session whose refresh is refused answers 401, code <c>session_expired</c>.
/// </summary>
internal static class DashboardTokenEndpoint
{
    public const string Path = "/dashboard/token";

    public static void MapDashboardToken(this IEndpointRouteBuilder app) =>
        app.MapPost(Path, IssueAsync).DisableAntiforgery().ExcludeFromDescription();

    private static async Task<IResult> IssueAsync(HttpContext context, IAntiforgery antiforgery, DashboardTokenStore store)
    {
        // No caching by the browser or a proxy: every answer carries a live credential.
        context.Response.Headers.CacheControl = "no-store";
        var authenticated = await context.AuthenticateAsync(DashboardAuth.Scheme);
        if (authenticated is not { Succeeded: true, Principal: { } user })
        {
            return Problem(StatusCodes.Status401Unauthorized, "Not signed in.", "unauthenticated");
        }

        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Problem(StatusCodes.Status400BadRequest, "The antiforgery token is missing or invalid; reload the page.", "antiforgery");
        }

        var session = user.FindFirst(DashboardAuth.SessionClaim)?.Value;
        var access = user.FindFirst(DashboardAuth.AccessTokenClaim)?.Value;
        var refresh = user.FindFirst(DashboardAuth.RefreshTokenClaim)?.Value;
        if (session is null || access is null || refresh is null)
        {
            return Problem(StatusCodes.Status401Unauthorized, "Not signed in.", "unauthenticated");
        }

        var expires = DateTimeOffset.TryParse(user.FindFirst(DashboardAuth.ExpiresAtClaim)?.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var e)
            ? e
            : DateTimeOffset.MinValue;
        if (await store.GetTokenAsync(session, new TokenPair(access, refresh, expires), context.RequestAborted) is not { } pair)
        {
            return Problem(StatusCodes.Status401Unauthorized, "The session has expired; sign in again.", "session_expired");
        }

        return Results.Ok(new DashboardToken(
            pair.AccessToken,
            Math.Max(0, (pair.ExpiresAt - store.Now).TotalSeconds),
            new DashboardUser(
                user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? "",
                user.Identity?.Name ?? "",
                [.. user.FindAll(ClaimTypes.Role).Select(c => c.Value)],
                DashboardAuth.StoreIds(user))));
    }

    private static IResult Problem(int status, string detail, string code) =>
        Results.Problem(statusCode: status, detail: detail, extensions: new Dictionary<string, object?> { ["code"] = code });
}
