using System.Text.Json;

namespace Bms.Contracts;

/// <summary>The body of <c>POST /api/routing/webhooks</c>; <c>secret</c> is generated when omitted.</summary>
/// <param name="Name">Display name (required).</param>
/// <param name="Url">Where events are POSTed (required).</param>
/// <param name="Event">The business event to receive (required), one of <see cref="RealtimeEventNames"/>.</param>
/// <param name="Filter">An optional filter on the event's data (the grammar of <see cref="SubscribeRequest.Filter"/>).</param>
/// <param name="Secret">The signing secret; generated when null.</param>
public sealed record CreateWebhookRequest(string? Name, string? Url, string? Event, JsonElement? Filter, string? Secret);
