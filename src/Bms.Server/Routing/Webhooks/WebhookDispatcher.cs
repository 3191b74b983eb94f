using Bms.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bms.Server.Routing.Webhooks;

/// <summary>
/// Works the durable webhook queue on every node: claims due deliveries of enabled hooks (a claim is a conditional
/// update, so two nodes never send the same entry at once, and a crashed node's claim expires), POSTs them, and records
/// the outcome: delivered, or retried later with exponential backoff. A hook whose consecutive failures reach
/// <see cref="WebhookOptions.DisableAfterFailures"/> is disabled; its queued deliveries wait until it is enabled again.
/// Delivery is at least once (a crash between the receiver's answer and the update sends again).
/// </summary>
internal sealed partial class WebhookDispatcher(
    IServiceScopeFactory scopes,
    WebhookQueue queue,
    WebhookSender sender,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private readonly string _node = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";
    private DateTimeOffset _nextCleanup;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await RunRoundAsync(stoppingToken).ConfigureAwait(false))
                {
                    // A full batch: there may be more due right now.
                }

                await CleanupAsync(stoppingToken).ConfigureAwait(false);
                await queue.WaitForWorkAsync(options.Value.PollInterval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database may be briefly unavailable; the queue is durable, so try again shortly.
                Log.RoundFailed(logger, ex);
                await Task.Delay(options.Value.PollInterval, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Stops the loop, then gives back this node's claims so another node (or the next start) sends them at once.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BmsDbContext>();
            await db.Set<WebhookDelivery>().Where(d => d.LockedBy == _node)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LockedUntil, (DateTime?)null).SetProperty(d => d.LockedBy, (string?)null), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not fatal: the claims expire after ClaimDuration.
            Log.RoundFailed(logger, ex);
        }
    }

    /// <summary>Claims and sends one batch; true when the batch was full.</summary>
    internal async Task<bool> RunRoundAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        List<Guid> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BmsDbContext>();
            var enabled = db.Set<Webhook>().Where(h => h.IsEnabled).Select(h => h.Id);
            due = await db.Set<WebhookDelivery>()
                .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now
                    && (d.LockedUntil == null || d.LockedUntil < now) && enabled.Contains(d.WebhookId))
                .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id)
                .Select(d => d.Id).Take(settings.BatchSize).ToListAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var id in due)
        {
            await DeliverAsync(id, cancellationToken).ConfigureAwait(false);
        }

        return due.Count == settings.BatchSize;
    }

    private async Task DeliverAsync(Guid id, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BmsDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        var until = now + settings.ClaimDuration;
        var claimed = await db.Set<WebhookDelivery>()
            .Where(d => d.Id == id && d.Status == WebhookDeliveryStatus.Pending && (d.LockedUntil == null || d.LockedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LockedUntil, until).SetProperty(d => d.LockedBy, _node), cancellationToken)
            .ConfigureAwait(false);
        if (claimed == 0)
        {
            return;
        }

        var delivery = await db.Set<WebhookDelivery>().AsNoTracking().SingleAsync(d => d.Id == id, cancellationToken).ConfigureAwait(false);
        var hook = await db.Set<Webhook>().AsNoTracking().SingleOrDefaultAsync(h => h.Id == delivery.WebhookId, cancellationToken).ConfigureAwait(false);
        if (hook is not { IsEnabled: true })
        {
            await ReleaseAsync(db, id, cancellationToken).ConfigureAwait(false);
            return;
        }

        var result = await sender.SendAsync(hook.Url, hook.Secret, delivery.EventType, delivery.EventId, delivery.Id, delivery.Payload, cancellationToken)
            .ConfigureAwait(false);
        now = time.GetUtcNow().UtcDateTime;
        var attempts = delivery.Attempts + 1;
        var error = result.Error is { Length: > 1000 } text ? text[..1000] : result.Error;
        if (result.Ok)
        {
            await db.Set<WebhookDelivery>().Where(d => d.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, WebhookDeliveryStatus.Delivered)
                .SetProperty(d => d.Attempts, attempts)
                .SetProperty(d => d.LastStatusCode, result.StatusCode)
                .SetProperty(d => d.LastError, (string?)null)
                .SetProperty(d => d.LastDurationMs, result.DurationMs)
                .SetProperty(d => d.LastAttemptAt, now)
                .SetProperty(d => d.DeliveredAt, now)
                .SetProperty(d => d.LockedUntil, (DateTime?)null)
                .SetProperty(d => d.LockedBy, (string?)null), CancellationToken.None).ConfigureAwait(false);
            await db.Set<Webhook>().Where(h => h.Id == hook.Id && h.ConsecutiveFailures != 0)
                .ExecuteUpdateAsync(s => s.SetProperty(h => h.ConsecutiveFailures, 0), CancellationToken.None).ConfigureAwait(false);
            Log.Delivered(logger, hook.Id, delivery.EventType, delivery.EventId, attempts, result.StatusCode);
            return;
        }

        var next = now + Backoff(attempts, settings);
        await db.Set<WebhookDelivery>().Where(d => d.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Attempts, attempts)
            .SetProperty(d => d.LastStatusCode, result.StatusCode)
            .SetProperty(d => d.LastError, error)
            .SetProperty(d => d.LastDurationMs, result.DurationMs)
            .SetProperty(d => d.LastAttemptAt, now)
            .SetProperty(d => d.NextAttemptAt, next)
            .SetProperty(d => d.LockedUntil, (DateTime?)null)
            .SetProperty(d => d.LockedBy, (string?)null), CancellationToken.None).ConfigureAwait(false);
        await db.Set<Webhook>().Where(h => h.Id == hook.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.ConsecutiveFailures, h => h.ConsecutiveFailures + 1), CancellationToken.None)
            .ConfigureAwait(false);
        var reason = $"{settings.DisableAfterFailures} consecutive failed attempts; last: {error}";
        reason = reason.Length > 500 ? reason[..500] : reason;
        var disabled = await db.Set<Webhook>()
            .Where(h => h.Id == hook.Id && h.IsEnabled && h.ConsecutiveFailures >= settings.DisableAfterFailures)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.IsEnabled, false).SetProperty(h => h.DisabledAt, now)
                .SetProperty(h => h.DisabledReason, reason).SetProperty(h => h.UpdatedAt, now), CancellationToken.None)
            .ConfigureAwait(false);
        Log.AttemptFailed(logger, hook.Id, delivery.EventType, delivery.EventId, attempts, error ?? "-", next);
        if (disabled > 0)
        {
            queue.Invalidate();
            Log.HookDisabled(logger, hook.Id, hook.Name, settings.DisableAfterFailures);
        }
    }

    private static Task<int> ReleaseAsync(BmsDbContext db, Guid id, CancellationToken cancellationToken) =>
        db.Set<WebhookDelivery>().Where(d => d.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LockedUntil, (DateTime?)null).SetProperty(d => d.LockedBy, (string?)null), cancellationToken);

    /// <summary>RetryDelay × 2^(attempts−1), at most RetryDelayMax, ±20 % jitter.</summary>
    internal static TimeSpan Backoff(int attempts, WebhookOptions settings)
    {
        var exponent = Math.Min(attempts - 1, 30);
        var delay = Math.Min(settings.RetryDelay.TotalMilliseconds * Math.Pow(2, exponent), settings.RetryDelayMax.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(delay * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }

    private async Task CleanupAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now < _nextCleanup)
        {
            return;
        }

        _nextCleanup = now + TimeSpan.FromHours(1);
        var before = now.UtcDateTime - options.Value.DeliveredRetention;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BmsDbContext>();
        await db.Set<WebhookDelivery>().Where(d => d.Status == WebhookDeliveryStatus.Delivered && d.DeliveredAt < before)
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }
}
