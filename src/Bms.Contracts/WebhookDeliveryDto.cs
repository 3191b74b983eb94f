namespace Bms.Contracts;

/// <summary>One line of a hook's delivery log (<c>GET /api/routing/webhooks/{id}/deliveries</c>).</summary>
/// <param name="Id">The delivery's id.</param>
/// <param name="EventId">The delivered event's id (the envelope's <c>id</c>).</param>
/// <param name="EventType">The delivered event's name.</param>
/// <param name="Status"><c>pending</c> or <c>delivered</c>.</param>
/// <param name="Attempts">Attempts made so far.</param>
/// <param name="LastStatusCode">The HTTP status of the last attempt; null when it got no answer.</param>
/// <param name="LastError">Why the last attempt failed.</param>
/// <param name="LastDurationMs">How long the last attempt took, in milliseconds.</param>
/// <param name="CreatedAt">When the delivery was queued (UTC).</param>
/// <param name="LastAttemptAt">When it was last tried (UTC).</param>
/// <param name="NextAttemptAt">When it is tried next (UTC).</param>
/// <param name="DeliveredAt">When it was delivered (UTC); null while pending.</param>
public sealed record WebhookDeliveryDto(
    Guid Id, string EventId, string EventType, string Status, int Attempts, int? LastStatusCode, string? LastError,
    double? LastDurationMs, DateTime CreatedAt, DateTime? LastAttemptAt, DateTime NextAttemptAt, DateTime? DeliveredAt);
