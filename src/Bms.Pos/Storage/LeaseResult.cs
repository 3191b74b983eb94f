namespace Bms.Pos.Storage;

/// <summary>The answer of <see cref="ISyncStore.TryAcquireLeaseAsync"/>.</summary>
/// <param name="Acquired">True when the caller now holds the lease (new, renewed or taken over from a dead owner).</param>
/// <param name="Holder">The owner holding it when not acquired.</param>
/// <param name="ExpiresAt">When the holder's lease expires.</param>
public sealed record LeaseResult(bool Acquired, string? Holder, DateTime? ExpiresAt);
