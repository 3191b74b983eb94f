namespace Bms.Web.Components.Models;

/// <summary>A notification held by the notification center for the signed-in user's circuit.</summary>
public sealed record DashboardNotification
{
    /// <summary>Unique id (the event id or the notification id).</summary>
    public required string Id { get; init; }

    /// <summary>Short title.</summary>
    public required string Title { get; init; }

    /// <summary>The text.</summary>
    public string Message { get; init; } = "";

    /// <summary>Severity.</summary>
    public NotificationSeverity Severity { get; init; }

    /// <summary>Where it came from: <c>system</c> (an administrator) or <c>low-stock</c>.</summary>
    public string Source { get; init; } = "system";

    /// <summary>When it was sent (UTC).</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>True once the user marked it as read.</summary>
    public bool IsRead { get; init; }

    /// <summary>Parses the server's free-text severity (<c>info</c>, <c>warning</c>, <c>critical</c>/<c>error</c>).</summary>
    public static NotificationSeverity ParseSeverity(string? severity) => severity?.Trim().ToLowerInvariant() switch
    {
        "warning" or "warn" => NotificationSeverity.Warning,
        "critical" or "error" or "danger" => NotificationSeverity.Critical,
        _ => NotificationSeverity.Info,
    };
}
