namespace Bms.Server.Domain;

/// <summary>A system notification sent by an admin to everyone signed in.</summary>
internal sealed class Notification
{
    public Guid Id { get; set; }

    public required string Title { get; set; }

    public required string Message { get; set; }

    /// <summary>One of <see cref="NotificationSeverity"/>'s values.</summary>
    public required string Severity { get; set; }

    public int? CreatedByUserId { get; set; }

    public DateTime CreatedAt { get; set; }
}
