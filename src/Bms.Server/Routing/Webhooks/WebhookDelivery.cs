namespace Bms.Server.Routing.Webhooks;

/// <summary>
/// One event to deliver to one webhook: the durable queue entry and, once done, its delivery log line. Unique per
/// (webhook, event id), so an event is never queued twice for a hook.
/// </summary>
internal sealed class WebhookDelivery
{
    public Guid Id { get; set; }

    public Guid WebhookId { get; set; }

    /// <summary>The envelope's id (receivers dedupe on it).</summary>
    public required string EventId { get; set; }

    public required string EventType { get; set; }

    /// <summary>The envelope JSON, sent verbatim as the request body.</summary>
    public required string Payload { get; set; }

    public WebhookDeliveryStatus Status { get; set; }

    public int Attempts { get; set; }

    /// <summary>When the next attempt is due (pending deliveries).</summary>
    public DateTime NextAttemptAt { get; set; }

    /// <summary>A node working on the delivery holds it until then; a crashed node's claim simply expires.</summary>
    public DateTime? LockedUntil { get; set; }

    public string? LockedBy { get; set; }

    public int? LastStatusCode { get; set; }

    public string? LastError { get; set; }

    public double? LastDurationMs { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? LastAttemptAt { get; set; }

    public DateTime? DeliveredAt { get; set; }
}

/// <summary>Where a delivery stands.</summary>
internal enum WebhookDeliveryStatus
{
    /// <summary>Queued or waiting for a retry.</summary>
    Pending = 0,

    /// <summary>The receiver answered 2xx.</summary>
    Delivered = 1,
}
