using System.Collections.Concurrent;
using Bms.Server.Api;
using Bms.Server.Auth;
using Microsoft.Extensions.Options;

namespace Bms.Server.Web;

/// <summary>
/// The latest API token pair of each dashboard session, shared by all tabs of that session. A refresh token can be
/// used once (reuse revokes the family), so refreshes are serialized per session and the rotated pair is kept here
/// rather than in the cookie (the token endpoint does not rewrite the cookie). The refresh token never leaves the
/// server. Singleton; thread-safe.
/// </summary>
internal sealed class DashboardTokenStore(IServiceScopeFactory scopes, TimeProvider time, IOptions<JwtOptions> jwt)
{
    /// <summary>A token this close to expiry is refreshed before use (a third of the lifetime for shorter tokens).</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(1);

    private readonly TimeSpan margin = jwt.Value.AccessTokenLifetime / 3 < RefreshMargin ? jwt.Value.AccessTokenLifetime / 3 : RefreshMargin;

    private readonly ConcurrentDictionary<string, TokenPair> pairs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> gates = new(StringComparer.Ordinal);

    /// <summary>The store's clock.</summary>
    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>
    /// A valid token pair for <paramref name="session"/>, refreshing <paramref name="fromCookie"/> when it is within the
    /// refresh margin of expiry; null when it must be refreshed and the refresh is refused (revoked, expired).
    /// </summary>
    public async ValueTask<TokenPair?> GetTokenAsync(string session, TokenPair fromCookie, CancellationToken cancellationToken)
    {
        var current = Latest(session, fromCookie);
        if (current.ExpiresAt - time.GetUtcNow() > margin)
        {
            return current;
        }

        var gate = gates.GetOrAdd(session, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            current = Latest(session, fromCookie);
            if (current.ExpiresAt - time.GetUtcNow() > margin)
            {
                return current;
            }

            await using var scope = scopes.CreateAsyncScope();
            var auth = scope.ServiceProvider.GetRequiredService<AuthService>();
            var refreshed = await auth.RefreshAsync(new RefreshRequest(current.RefreshToken), cancellationToken);
            var pair = new TokenPair(refreshed.AccessToken, refreshed.RefreshToken, new DateTimeOffset(refreshed.ExpiresAt, TimeSpan.Zero));
            pairs[session] = pair;
            return pair;
        }
        catch (ApiException)
        {
            // Refresh refused: a token that is still valid may be used to its end; an expired one ends the session.
            return current.ExpiresAt > time.GetUtcNow() ? current : null;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Forgets a session (sign-out).</summary>
    public void Remove(string session)
    {
        pairs.TryRemove(session, out _);
        gates.TryRemove(session, out _);
    }

    private TokenPair Latest(string session, TokenPair fromCookie) =>
        pairs.TryGetValue(session, out var stored) && stored.ExpiresAt >= fromCookie.ExpiresAt ? stored : fromCookie;
}

/// <summary>An access token, its refresh token and the access token's expiry.</summary>
internal sealed record TokenPair(string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt);
