namespace Bms.Pos;

/// <summary>
/// The terminal's sync state as a value: <c>{isOnline, isSyncing, lastSync, pendingTransactions, pendingProducts,
/// syncErrors}</c>. Raised by <see cref="PosWebSocketService.SyncStatusChanged"/> whenever any part changes.
/// </summary>
/// <param name="IsOnline">The <c>/pos</c> socket is connected.</param>
/// <param name="IsSyncing">A sync run is in progress.</param>
/// <param name="LastSync">End of the last successful sync (UTC), or null.</param>
/// <param name="PendingTransactions">Sales waiting in the outbox.</param>
/// <param name="PendingProducts">Products whose shown stock includes sales the server has not confirmed.</param>
/// <param name="SyncErrors">The last sync error and each rejected sale (<c>receipt: reason</c>); empty when all is well.</param>
public sealed record SyncStatus(
    bool IsOnline, bool IsSyncing, DateTime? LastSync, int PendingTransactions, int PendingProducts, IReadOnlyList<string> SyncErrors)
{
    /// <summary>The status before anything is known.</summary>
    public static SyncStatus Initial { get; } = new(false, false, null, 0, 0, []);

    /// <summary>Value equality including the error list.</summary>
    public bool Equals(SyncStatus? other) =>
        other is not null && IsOnline == other.IsOnline && IsSyncing == other.IsSyncing && LastSync == other.LastSync
        && PendingTransactions == other.PendingTransactions && PendingProducts == other.PendingProducts
        && SyncErrors.SequenceEqual(other.SyncErrors);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(IsOnline, IsSyncing, LastSync, PendingTransactions, PendingProducts, SyncErrors.Count);
}
