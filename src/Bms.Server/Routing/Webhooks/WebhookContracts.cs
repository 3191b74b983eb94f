using System.Text.Json;

namespace Bms.Server.Routing.Webhooks;

/// <summary>Maps the stored webhooks and deliveries to their <see cref="WebhookDto"/> / <see cref="WebhookDeliveryDto"/> contracts.</summary>
internal static class WebhookContracts
{
    /// <summary>The hook as the admin API shows it (without its secret).</summary>
    public static WebhookDto ToDto(this Webhook hook, int pending) => new(
        hook.Id, hook.Name, hook.Url, hook.Event, hook.Filter is null ? null : JsonDocument.Parse(hook.Filter).RootElement.Clone(),
        hook.IsEnabled, hook.ConsecutiveFailures, hook.DisabledAt, hook.DisabledReason, hook.CreatedAt, hook.UpdatedAt, pending);

    /// <summary>One line of the delivery log.</summary>
    public static WebhookDeliveryDto ToDto(this WebhookDelivery d) => new(
        d.Id, d.EventId, d.EventType, d.Status == WebhookDeliveryStatus.Delivered ? "delivered" : "pending", d.Attempts, d.LastStatusCode,
        d.LastError, d.LastDurationMs, d.CreatedAt, d.LastAttemptAt, d.NextAttemptAt, d.DeliveredAt);
}
