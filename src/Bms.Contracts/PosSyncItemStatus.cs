namespace Bms.Contracts;

/// <summary>The closed set of <see cref="PosSyncItemResult.Status"/> values.</summary>
public static class PosSyncItemStatus
{
    /// <summary>Applied now.</summary>
    public const string Accepted = "accepted";

    /// <summary>Applied before (same idempotency key); nothing changed.</summary>
    public const string Duplicate = "duplicate";

    /// <summary>Refused; <see cref="PosSyncItemResult.Reason"/> says why.</summary>
    public const string Rejected = "rejected";
}
