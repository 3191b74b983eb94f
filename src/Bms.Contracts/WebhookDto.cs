using System.Text.Json;

namespace Bms.Contracts;

/// <summary>
/// A webhook as <c>GET /api/routing/webhooks</c> and <c>/api/routing/webhooks/{id}</c> show it (never with its secret,
/// except in <see cref="CreatedWebhookDto"/>).
/// </summary>
/// <param name="Id">The hook's id.</param>
/// <param name="Name">Display name.</param>
/// <param name="Url">Where events are POSTed.</param>
/// <param name="Event">The business event it receives, one of <see cref="RealtimeEventNames"/>.</param>
/// <param name="Filter">The filter on the event's data (the grammar of <see cref="SubscribeRequest.Filter"/>); null for every event.</param>
/// <param name="IsEnabled">False once disabled by hand or after too many consecutive failures.</param>
/// <param name="ConsecutiveFailures">Failed deliveries in a row.</param>
/// <param name="DisabledAt">When it was disabled (UTC); null while enabled.</param>
/// <param name="DisabledReason">Why it was disabled.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
/// <param name="Pending">Deliveries waiting to be sent.</param>
public sealed record WebhookDto(
    Guid Id, string Name, string Url, string Event, JsonElement? Filter, bool IsEnabled, int ConsecutiveFailures,
    DateTime? DisabledAt, string? DisabledReason, DateTime CreatedAt, DateTime UpdatedAt, int Pending);
