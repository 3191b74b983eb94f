namespace Bms.Server.Domain;

/// <summary>
/// One user's state of one notification: read (<see cref="ReadAt"/>) and/or cleared from their list
/// (<see cref="ClearedAt"/>). No row means unread and listed.
/// </summary>
internal sealed class NotificationReceipt
{
    public Guid NotificationId { get; set; }

    public int UserId { get; set; }

    public DateTime? ReadAt { get; set; }

    public DateTime? ClearedAt { get; set; }
}
