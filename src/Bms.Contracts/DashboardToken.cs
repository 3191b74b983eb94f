namespace Bms.Contracts;

/// <summary>
/// The answer of the dashboard host's token endpoint (<c>POST /dashboard/token</c>): a short-lived API access token for
/// the signed-in cookie session, how long it lives, and who the user is.
/// </summary>
/// <param name="AccessToken">The JWT for <c>Authorization: Bearer</c> and the Socket.IO CONNECT's <c>auth.token</c>.</param>
/// <param name="ExpiresIn">Seconds until the token expires, as the server counts them.</param>
/// <param name="User">The signed-in user.</param>
public sealed record DashboardToken(string AccessToken, double ExpiresIn, DashboardUser User);
