using System.Collections.Concurrent;
using Bms.Server.Api;
using Bms.Server.Auth;

namespace Bms.Server.Web;

/// <summary>
/// The latest API token pair of each dashboard session, shared by all circuits of that session. A refresh token can be
/// used once (reuse revokes the family), so refreshes are serialized per session and the rotated pair is kept here
/// rather than in the cookie (a circuit cannot rewrite the cookie). Singleton; thread-safe.
/// </summary>
internal sealed class DashboardTokenStore(IServiceScopeFactory scopes, TimeProvider time)
{
    /// <summary>A token this close to expiry is refreshed before use.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, TokenPair> pairs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> gates = new(StringComparer.Ordinal);

    /// <summary>A valid access token for <paramref name="session"/>, refreshing <paramref name="fromCookie"/> when needed.</summary>
    public async ValueTask<string?> GetAccessTokenAsync(string session, TokenPair fromCookie, CancellationToken cancellationToken)
    {
        var current = Latest(session, fromCookie);
        if (current.ExpiresAt - time.GetUtcNow() > RefreshMargin)
        {
            return current.AccessToken;
        }

        var gate = gates.GetOrAdd(session, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            current = Latest(session, fromCookie);
            if (current.ExpiresAt - time.GetUtcNow() > RefreshMargin)
            {
                return current.AccessToken;
            }

            await using var scope = scopes.CreateAsyncScope();
            var auth = scope.ServiceProvider.GetRequiredService<AuthService>();
            var refreshed = await auth.RefreshAsync(new RefreshRequest(current.RefreshToken), cancellationToken);
            var pair = new TokenPair(refreshed.AccessToken, refreshed.RefreshToken, new DateTimeOffset(refreshed.ExpiresAt, TimeSpan.Zero));
            pairs[session] = pair;
            return pair.AccessToken;
        }
        catch (ApiException)
        {
            // Refresh refused (revoked, expired): hand out what we have; the server refuses it and the user signs in again.
            return current.AccessToken;
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
