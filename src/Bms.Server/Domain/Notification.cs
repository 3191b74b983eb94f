namespace Bms.Server.Domain;

/// <summary>
/// A notification kept for the dashboard: a system notice an admin sent to everyone (<see cref="StoreId"/> null), or
/// a store's low-stock alert (seen by that store's users and admins). Each user's read and cleared state is a
/// <see cref="NotificationReceipt"/>.
/// </summary>
internal sealed class Notification
{
    public Guid Id { get; set; }

    /// <summary>One of <see cref="NotificationKind"/>'s values.</summary>
    public string Kind { get; set; } = NotificationKind.System;

    public required string Title { get; set; }

    public required string Message { get; set; }

    /// <summary>One of <see cref="NotificationSeverity"/>'s values.</summary>
    public required string Severity { get; set; }

    /// <summary>The store a low-stock alert belongs to; null for a system notice (everyone).</summary>
    public int? StoreId { get; set; }

    /// <summary>The product of a low-stock alert.</summary>
    public int? ProductId { get; set; }

    public int? CreatedByUserId { get; set; }

    public DateTime CreatedAt { get; set; }
}
