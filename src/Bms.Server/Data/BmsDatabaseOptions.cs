namespace Bms.Server.Data;

/// <summary>Database settings, bound from <c>Bms:Database</c>; the connection string is <c>ConnectionStrings:Bms</c>.</summary>
internal sealed class BmsDatabaseOptions
{
    /// <summary>Connection string used when <c>ConnectionStrings:Bms</c> is not set.</summary>
    public const string DefaultConnectionString = "Data Source=./data/bms.db";

    /// <summary>How long processed idempotency keys are kept. Default 35 days; never less than 30.</summary>
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromDays(35);

    /// <summary>
    /// How long notifications (system notices and low-stock alerts, with every user's read state) are kept. Default
    /// 90 days.
    /// </summary>
    public TimeSpan NotificationRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How often expired idempotency keys, refresh tokens and notifications are purged. Default 6 hours.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(6);
}
