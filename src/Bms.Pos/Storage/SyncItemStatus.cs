namespace Bms.Pos.Storage;

/// <summary>The server's answer for one item of a sync batch (wire values <c>accepted</c>, <c>duplicate</c>, <c>rejected</c>).</summary>
public enum SyncItemStatus
{
    /// <summary>Applied now.</summary>
    Accepted = 0,

    /// <summary>Applied earlier (same idempotency key); nothing changed now.</summary>
    Duplicate = 1,

    /// <summary>Refused with a reason; nothing changed.</summary>
    Rejected = 2,
}
