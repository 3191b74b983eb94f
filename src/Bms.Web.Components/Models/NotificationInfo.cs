namespace Bms.Web.Components.Models;

/// <summary>A system notification (<c>system:notification</c> data and <c>GET /api/notifications</c> rows).</summary>
public sealed record NotificationInfo
{
    /// <summary>Notification id.</summary>
    public Guid Id { get; init; }

    /// <summary>Short title.</summary>
    public string Title { get; init; } = "";

    /// <summary>The text.</summary>
    public string Message { get; init; } = "";

    /// <summary><c>info</c>, <c>warning</c> or <c>critical</c> (free text from the server; unknown values show as info).</summary>
    public string Severity { get; init; } = "info";

    /// <summary>When it was sent (UTC).</summary>
    public DateTimeOffset CreatedAt { get; init; }
}
