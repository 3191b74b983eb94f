namespace Bms.Server.Routing.Webhooks;

/// <summary>Delivery of outbound webhooks (<c>Bms:Routing:Webhooks</c>). Validated at start.</summary>
internal sealed class WebhookOptions
{
    /// <summary>Delay before the first retry; doubles per failed attempt (±20 % jitter) up to <see cref="RetryDelayMax"/>. Default 5 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest delay between attempts. Default 10 min.</summary>
    public TimeSpan RetryDelayMax { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Consecutive failed attempts after which a hook is disabled (an admin re-enables it). Default 20.</summary>
    public int DisableAfterFailures { get; set; } = 20;

    /// <summary>Timeout of one POST (a timeout is a failed attempt). Default 10 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the queue is checked when nothing signals new work (retries, other nodes' entries). Default 1 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a node holds a delivery it is sending; a crashed node's claim expires after this. Default 2 min.</summary>
    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Deliveries taken from the queue per round. Default 20.</summary>
    public int BatchSize { get; set; } = 20;

    /// <summary>How long delivered entries stay in the delivery log. Default 7 days.</summary>
    public TimeSpan DeliveredRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Allow <c>http://</c> hook URLs (by default only <c>https://</c>). Default false.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>True when the values can work.</summary>
    public bool IsValid() =>
        RetryDelay > TimeSpan.Zero && RetryDelayMax >= RetryDelay && DisableAfterFailures > 0 && RequestTimeout > TimeSpan.Zero
        && PollInterval > TimeSpan.Zero && ClaimDuration > RequestTimeout && BatchSize > 0 && DeliveredRetention > TimeSpan.Zero;
}
