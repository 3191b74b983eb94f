using Bms.Contracts;

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

    /// <summary>Severity: one of <see cref="NotificationSeverity"/>'s values (<c>info</c>, <c>success</c>, <c>warning</c>, <c>error</c>).</summary>
    public string Severity { get; init; } = NotificationSeverity.Info;

    /// <summary>Where it came from: <c>system</c> (an administrator) or <c>low-stock</c>.</summary>
    public string Source { get; init; } = "system";

    /// <summary>When it was sent (UTC).</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>True once the user marked it as read.</summary>
    public bool IsRead { get; init; }

    /// <summary>
    /// Reads the server's free-text severity as one of <see cref="NotificationSeverity"/>'s values: <c>warn</c> is
    /// <c>warning</c>, <c>critical</c> and <c>danger</c> are <c>error</c>, anything unknown is <c>info</c>.
    /// </summary>
    public static string ParseSeverity(string? severity) => severity?.Trim().ToLowerInvariant() switch
    {
        "warning" or "warn" => NotificationSeverity.Warning,
        "critical" or "error" or "danger" => NotificationSeverity.Error,
        "success" => NotificationSeverity.Success,
        _ => NotificationSeverity.Info,
    };
}
