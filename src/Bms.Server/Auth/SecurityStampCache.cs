using System.Collections.Concurrent;
using System.Collections.Immutable;
using Bms.Server.Data;
using Bms.Server.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bms.Server.Auth;

/// <summary>
/// Decides whether a user's access token still stands: the user exists, is active, and the token's security stamp
/// (claim <c>sstamp</c>) equals <see cref="User.SecurityStamp"/> in the database, which every node shares. The stamp and
/// the active flag are cached per user for <see cref="JwtOptions.SecurityStampCacheDuration"/>. Whoever changes a stamp
/// calls <see cref="RevokedAsync"/> (or <see cref="RenewAsync"/>, which also writes it): the local entry is dropped at
/// once and the registered handlers run (the real-time gateway tells the other nodes and disconnects the user's
/// sockets on every node). Terminal tokens carry no stamp and always pass. Singleton; thread-safe.
/// </summary>
internal sealed class SecurityStampCache(IServiceScopeFactory scopes, IOptions<JwtOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<int, Entry> entries = new();
    private ImmutableArray<Func<int, ValueTask>> handlers = [];

    // Bumped by every invalidation: a database read that started before one is not cached, so it cannot put back a
    // stamp that was replaced while it ran.
    private long generation;

    /// <summary>
    /// True when <paramref name="principal"/> is a terminal, or a user whose token stamp is the user's current one and
    /// who is active. Reads the database at most once per user per cache duration.
    /// </summary>
    public async ValueTask<bool> IsCurrentAsync(BmsPrincipal principal, CancellationToken cancellationToken = default)
    {
        if (principal.IsTerminal)
        {
            return true;
        }

        if (principal.SecurityStamp is not { Length: > 0 } stamp || principal.UserId is not { } userId)
        {
            return false;
        }

        var now = time.GetTimestamp();
        if (!entries.TryGetValue(userId, out var entry) || time.GetElapsedTime(entry.ReadAt, now) >= options.Value.SecurityStampCacheDuration)
        {
            var before = Interlocked.Read(ref generation);
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BmsDbContext>();
            var current = await db.Users.AsNoTracking().Where(u => u.Id == userId)
                .Select(u => u.IsActive ? u.SecurityStamp : null)
                .FirstOrDefaultAsync(cancellationToken);
            entry = new Entry(current, now);
            if (Interlocked.Read(ref generation) == before)
            {
                entries[userId] = entry;
            }
        }

        return entry.Stamp is not null && string.Equals(entry.Stamp, stamp, StringComparison.Ordinal);
    }

    /// <summary>Drops this node's cached stamp of <paramref name="userId"/>, so the next check reads the database.</summary>
    public void Invalidate(int userId)
    {
        Interlocked.Increment(ref generation);
        entries.TryRemove(userId, out _);
    }

    /// <summary>
    /// Writes a new stamp for <paramref name="userId"/> (ending every access token issued before) and then acts as
    /// <see cref="RevokedAsync"/>.
    /// </summary>
    public async Task RenewAsync(BmsDbContext db, int userId, CancellationToken cancellationToken = default)
    {
        var stamp = User.NewSecurityStamp();
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.SecurityStamp, stamp), cancellationToken);
        await RevokedAsync(userId);
    }

    /// <summary>
    /// Announces that the stamp of <paramref name="userId"/> changed in the database (or the user was disabled):
    /// invalidates this node's entry and runs every handler. Handler failures are not the caller's: they are caught by
    /// the handlers themselves.
    /// </summary>
    public async Task RevokedAsync(int userId)
    {
        Invalidate(userId);
        foreach (var handler in handlers)
        {
            await handler(userId);
        }
    }

    /// <summary>Registers a handler run by <see cref="RevokedAsync"/> with the user id (the real-time gateway's).</summary>
    public void OnRevoked(Func<int, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ImmutableInterlocked.Update(ref handlers, list => list.Add(handler));
    }

    /// <summary>A cached read: the stamp, or null when the user is disabled or unknown; and when it was read.</summary>
    private readonly record struct Entry(string? Stamp, long ReadAt);
}
