namespace Bms.Web.Components.Models;

/// <summary>
/// A notification: <c>system:notification</c> data, or a <c>GET /api/notifications</c> row (a system notice or a
/// low-stock alert of one of the user's stores, with the user's own read state).
/// </summary>
public sealed record NotificationInfo
{
    /// <summary>Notification id.</summary>
    public Guid Id { get; init; }

    /// <summary>Short title.</summary>
    public string Title { get; init; } = "";

    /// <summary>The text.</summary>
    public string Message { get; init; } = "";

    /// <summary>
    /// <c>info</c>, <c>success</c>, <c>warning</c> or <c>error</c> (<see cref="Bms.Contracts.NotificationSeverity"/>); read
    /// by <see cref="DashboardNotification.ParseSeverity"/>, which shows unknown values as info.
    /// </summary>
    public string Severity { get; init; } = "info";

    /// <summary>When it was sent (UTC).</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary><c>system</c> (sent by an administrator) or <c>low-stock</c> (a store's stock alert).</summary>
    public string Kind { get; init; } = "system";

    /// <summary>The store of a low-stock alert; null for a system notice.</summary>
    public int? StoreId { get; init; }

    /// <summary>The product of a low-stock alert.</summary>
    public int? ProductId { get; init; }

    /// <summary>True once the signed-in user marked it read (list rows only; events are always unread).</summary>
    public bool Read { get; init; }
}
