using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bms.Server.Data;

/// <summary>
/// Periodically deletes processed idempotency keys older than <see cref="BmsDatabaseOptions.IdempotencyRetention"/>
/// (at least 30 days), refresh tokens that expired more than a day ago and notifications older than
/// <see cref="BmsDatabaseOptions.NotificationRetention"/> (their receipts go with them).
/// </summary>
internal sealed partial class MaintenanceService(
    IServiceScopeFactory scopes, IOptions<BmsDatabaseOptions> options, TimeProvider time, ILogger<MaintenanceService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CleanupInterval, time);
        do
        {
            try
            {
                await PurgeAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.PurgeFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    internal async Task PurgeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BmsDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        var retention = options.Value.IdempotencyRetention < TimeSpan.FromDays(30) ? TimeSpan.FromDays(30) : options.Value.IdempotencyRetention;
        var keyCutoff = now - retention;
        var tokenCutoff = now - TimeSpan.FromDays(1);
        var keys = await db.ProcessedIdempotencyKeys.Where(k => k.ProcessedAt < keyCutoff).ExecuteDeleteAsync(cancellationToken);
        var tokens = await db.RefreshTokens.Where(t => t.ExpiresAt < tokenCutoff).ExecuteDeleteAsync(cancellationToken);
        var notificationCutoff = now - options.Value.NotificationRetention;

        // Maintenance sees every store's alerts; receipts are deleted by the database's cascade.
        var notifications = await db.Notifications.IgnoreQueryFilters().Where(n => n.CreatedAt < notificationCutoff)
            .ExecuteDeleteAsync(cancellationToken);
        if (keys + tokens + notifications > 0)
        {
            Log.Purged(logger, keys, tokens, notifications);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Purged {Keys} idempotency keys, {Tokens} refresh tokens and {Notifications} notifications")]
        public static partial void Purged(ILogger logger, int keys, int tokens, int notifications);

        [LoggerMessage(2, LogLevel.Error, "Database maintenance failed")]
        public static partial void PurgeFailed(ILogger logger, Exception exception);
    }
}
