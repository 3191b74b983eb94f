using System.Text.Json;

namespace Bms.Server.Routing.Webhooks;

/// <summary>A webhook as the admin API shows it (never with its secret, except <see cref="CreatedWebhookDto"/>).</summary>
internal sealed record WebhookDto(
    Guid Id, string Name, string Url, string Event, JsonElement? Filter, bool IsEnabled, int ConsecutiveFailures,
    DateTime? DisabledAt, string? DisabledReason, DateTime CreatedAt, DateTime UpdatedAt, int Pending)
{
    public static WebhookDto From(Webhook hook, int pending) => new(
        hook.Id, hook.Name, hook.Url, hook.Event, hook.Filter is null ? null : JsonDocument.Parse(hook.Filter).RootElement.Clone(),
        hook.IsEnabled, hook.ConsecutiveFailures, hook.DisabledAt, hook.DisabledReason, hook.CreatedAt, hook.UpdatedAt, pending);
}

/// <summary>The answer to a create: the hook and its signing secret (shown this once).</summary>
internal sealed record CreatedWebhookDto(WebhookDto Webhook, string Secret);

/// <summary><c>POST /api/routing/webhooks</c>: <c>secret</c> is generated when omitted.</summary>
internal sealed record CreateWebhookRequest(string? Name, string? Url, string? Event, JsonElement? Filter, string? Secret);

/// <summary><c>PUT /api/routing/webhooks/{id}</c>: only the given fields change; <c>isEnabled: true</c> re-enables a disabled hook.</summary>
internal sealed record UpdateWebhookRequest(string? Name, string? Url, string? Event, JsonElement? Filter, bool? IsEnabled);

/// <summary>One line of a hook's delivery log.</summary>
internal sealed record WebhookDeliveryDto(
    Guid Id, string EventId, string EventType, string Status, int Attempts, int? LastStatusCode, string? LastError,
    double? LastDurationMs, DateTime CreatedAt, DateTime? LastAttemptAt, DateTime NextAttemptAt, DateTime? DeliveredAt)
{
    public static WebhookDeliveryDto From(WebhookDelivery d) => new(
        d.Id, d.EventId, d.EventType, d.Status == WebhookDeliveryStatus.Delivered ? "delivered" : "pending", d.Attempts, d.LastStatusCode,
        d.LastError, d.LastDurationMs, d.CreatedAt, d.LastAttemptAt, d.NextAttemptAt, d.DeliveredAt);
}

/// <summary>The outcome of <c>POST /api/routing/webhooks/{id}/test</c>.</summary>
internal sealed record WebhookTestResultDto(bool Ok, int? StatusCode, string? Error, double DurationMs);

/// <summary>A configured room rule as <c>GET /api/routing/rules</c> shows it.</summary>
internal sealed record RoutingRuleDto(string Name, string Event, JsonElement? Filter, string Room, IReadOnlyList<string> Namespaces);
