namespace Bms.Server.Routing.Webhooks;

/// <summary>
/// An outbound webhook: business events of <see cref="Event"/> that match <see cref="Filter"/> are POSTed to
/// <see cref="Url"/>, signed with <see cref="Secret"/>. Disabled automatically after too many consecutive failures.
/// </summary>
internal sealed class Webhook
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public required string Url { get; set; }

    /// <summary>The HMAC-SHA256 key of the signature header; shown once, when the hook is created.</summary>
    public required string Secret { get; set; }

    /// <summary>The business event type, e.g. <c>low-stock:alert</c>.</summary>
    public required string Event { get; set; }

    /// <summary>The filter (JSON, <see cref="EventFilter"/> language), or null for every event of the type.</summary>
    public string? Filter { get; set; }

    public bool IsEnabled { get; set; } = true;

    /// <summary>Failed attempts since the last success; the hook is disabled when it reaches the configured limit.</summary>
    public int ConsecutiveFailures { get; set; }

    public DateTime? DisabledAt { get; set; }

    public string? DisabledReason { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}
