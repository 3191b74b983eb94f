namespace Bms.Web.Components.Services;

/// <summary>
/// Supplies the signed-in user's API access token (a JWT from <c>POST /api/auth/login</c>) for REST calls and for the
/// real-time CONNECT. Called before every connect and reconnect, so an implementation may refresh an expiring token.
/// The host registers one per app (scoped: the browser app, or a circuit on a server).
/// </summary>
public interface IAccessTokenSource
{
    /// <summary>The current access token, or null when the user is not signed in.</summary>
    ValueTask<string?> GetAccessTokenAsync(CancellationToken cancellationToken = default);
}
