using System.Globalization;
using Bms.Web.Components.Services;
using Microsoft.AspNetCore.Components.Authorization;

namespace Bms.Server.Web;

/// <summary>
/// The circuit's <see cref="IAccessTokenSource"/>: the API token of the signed-in cookie session, refreshed through
/// <see cref="DashboardTokenStore"/> when it is about to expire. Scoped.
/// </summary>
internal sealed class DashboardTokenSource(AuthenticationStateProvider authentication, DashboardTokenStore store) : IAccessTokenSource
{
    public async ValueTask<string?> GetAccessTokenAsync(CancellationToken cancellationToken = default)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        var session = user.FindFirst(DashboardAuth.SessionClaim)?.Value;
        var access = user.FindFirst(DashboardAuth.AccessTokenClaim)?.Value;
        var refresh = user.FindFirst(DashboardAuth.RefreshTokenClaim)?.Value;
        if (session is null || access is null || refresh is null)
        {
            return null;
        }

        var expires = DateTimeOffset.TryParse(user.FindFirst(DashboardAuth.ExpiresAtClaim)?.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var e)
            ? e
            : DateTimeOffset.MinValue;
        return await store.GetAccessTokenAsync(session, new TokenPair(access, refresh, expires), cancellationToken);
    }
}
