using System.Collections.Immutable;
using System.Text.Json;
using Bms.Server.Data;
using Bms.Server.Events;
using Microsoft.EntityFrameworkCore;

namespace Bms.Server.Routing.Webhooks;

/// <summary>
/// The enqueue side of webhooks: a short-lived cache of the enabled hooks with their compiled filters (reloaded at most
/// every <see cref="CacheLifetime"/>, at once after a change through the admin API, so changes apply without a
/// restart), and the insert of one <see cref="WebhookDelivery"/> per matching hook, unique per (hook, event id).
/// Wakes the <see cref="WebhookDispatcher"/>. Singleton; thread-safe.
/// </summary>
internal sealed partial class WebhookQueue(IServiceScopeFactory scopes, TimeProvider time, ILogger<WebhookQueue> logger)
{
    /// <summary>How long the hook list is reused before it is read again (changes made on another node show up within it).</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _work = new(0, int.MaxValue);
    private Snapshot? _snapshot;

    /// <summary>The enabled hooks for <paramref name="eventName"/> whose filter matches <paramref name="envelope"/>.</summary>
    public async ValueTask<IReadOnlyList<Guid>> MatchAsync(string eventName, Func<JsonElement> envelope, CancellationToken cancellationToken)
    {
        var snapshot = await GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        if (!snapshot.ByEvent.TryGetValue(eventName, out var hooks))
        {
            return [];
        }

        var json = envelope();
        return [.. hooks.Where(h => h.Filter is null || h.Filter.Matches(json)).Select(h => h.Id)];
    }

    /// <summary>True when some enabled hook listens to <paramref name="eventName"/>.</summary>
    public async ValueTask<bool> HasHooksForAsync(string eventName, CancellationToken cancellationToken) =>
        (await GetSnapshotAsync(cancellationToken).ConfigureAwait(false)).ByEvent.ContainsKey(eventName);

    /// <summary>Queues <paramref name="envelope"/> (its JSON in <paramref name="payload"/>) for each of <paramref name="hookIds"/>.</summary>
    public async Task EnqueueAsync(EventEnvelope<object> envelope, string payload, IReadOnlyList<Guid> hookIds, CancellationToken cancellationToken)
    {
        if (hookIds.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BmsDbContext>();
        var queued = await db.Set<WebhookDelivery>().Where(d => d.EventId == envelope.Id && hookIds.Contains(d.WebhookId))
            .Select(d => d.WebhookId).ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var hookId in hookIds.Except(queued))
        {
            db.Add(new WebhookDelivery
            {
                Id = Guid.CreateVersion7(),
                WebhookId = hookId,
                EventId = envelope.Id,
                EventType = envelope.Type,
                Payload = payload,
                Status = WebhookDeliveryStatus.Pending,
                NextAttemptAt = now,
                CreatedAt = now,
            });
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        Log.Queued(logger, envelope.Type, envelope.Id, hookIds.Count);
        Signal();
    }

    /// <summary>Forgets the cached hook list (after a change through the admin API).</summary>
    public void Invalidate() => Volatile.Write(ref _snapshot, null);

    /// <summary>Wakes the dispatcher.</summary>
    public void Signal() => _work.Release();

    /// <summary>Waits until <see cref="Signal"/> or <paramref name="timeout"/>.</summary>
    public async Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _work.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        // Several signals for one round of work: drain them, the next round reads the whole queue anyway.
        while (_work.CurrentCount > 0 && _work.Wait(0))
        {
        }
    }

    private async ValueTask<Snapshot> GetSnapshotAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (Volatile.Read(ref _snapshot) is { } fresh && now - fresh.LoadedAt < CacheLifetime)
        {
            return fresh;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref _snapshot) is { } again && now - again.LoadedAt < CacheLifetime)
            {
                return again;
            }

            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BmsDbContext>();
            var rows = await db.Set<Webhook>().AsNoTracking().Where(h => h.IsEnabled)
                .Select(h => new { h.Id, h.Event, h.Filter }).ToListAsync(cancellationToken).ConfigureAwait(false);
            var hooks = new List<CachedHook>(rows.Count);
            foreach (var row in rows)
            {
                EventFilter? filter = null;
                if (row.Filter is { } text
                    && !EventFilter.TryParse(row.Event, JsonDocument.Parse(text).RootElement, lenientNumbers: false, out filter, out var error))
                {
                    // Validated when stored; a row that no longer parses is skipped rather than matching everything.
                    Log.BadFilter(logger, row.Id, error!);
                    continue;
                }

                hooks.Add(new CachedHook(row.Id, row.Event, filter));
            }

            var snapshot = new Snapshot(now,
                hooks.GroupBy(h => h.Event, StringComparer.Ordinal).ToImmutableDictionary(g => g.Key, g => g.ToImmutableArray(), StringComparer.Ordinal));
            Volatile.Write(ref _snapshot, snapshot);
            return snapshot;
        }
        finally
        {
            _gate.Release();
        }
    }

    private sealed record CachedHook(Guid Id, string Event, EventFilter? Filter);

    private sealed record Snapshot(DateTimeOffset LoadedAt, ImmutableDictionary<string, ImmutableArray<CachedHook>> ByEvent);
}
