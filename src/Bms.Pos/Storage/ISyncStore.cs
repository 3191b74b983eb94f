namespace Bms.Pos.Storage;

/// <summary>
/// The terminal's durable local state: catalogue cache, sales and their outbox, sync log, notifications and the sync
/// lease. The seam between <c>SyncService</c> / <c>PosWebSocketService</c> and storage.
/// </summary>
/// <remarks>
/// Guarantees an implementation must keep:
/// <list type="bullet">
/// <item>A sale and its outbox item are written in one local transaction: either both exist or neither.</item>
/// <item>Receipt sequences are unique per data file, also with several processes writing at once.</item>
/// <item>An item leaves the outbox only through <see cref="ApplyOutcomesAsync"/> (accepted/duplicate) or
/// <see cref="DiscardRejectedAsync"/>; a crash at any point leaves it pending, never lost.</item>
/// <item>At most one owner holds the sync lease at a time across processes sharing the data file.</item>
/// </list>
/// All members are thread-safe and may be called from several processes on the same file.
/// </remarks>
public interface ISyncStore
{
    /// <summary>Creates or upgrades the schema (idempotent).</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>The cached terminal identity, or null before the first successful sign-in.</summary>
    Task<TerminalIdentity?> GetIdentityAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores the terminal identity (replaces the previous one).</summary>
    Task SaveIdentityAsync(TerminalIdentity identity, CancellationToken cancellationToken = default);

    /// <summary>The cached catalogue ordered by SKU, with provisional quantities.</summary>
    Task<IReadOnlyList<CachedProduct>> GetProductsAsync(CancellationToken cancellationToken = default);

    /// <summary>A cached product by SKU (case-insensitive), or null.</summary>
    Task<CachedProduct?> FindProductAsync(string sku, CancellationToken cancellationToken = default);

    /// <summary>Inserts or updates products from the server (their quantities become the server quantities).</summary>
    Task UpsertProductsAsync(IEnumerable<ProductDto> products, CancellationToken cancellationToken = default);

    /// <summary>Sets the server quantity of a cached product (from <c>inventory:updated</c>); false when unknown.</summary>
    Task<bool> SetServerQuantityAsync(int productId, int quantity, DateTime updatedAt, CancellationToken cancellationToken = default);

    /// <summary>A named value (catalogue cursor and the like), or null.</summary>
    Task<string?> GetValueAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Stores a named value.</summary>
    Task SetValueAsync(string key, string value, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a sale from the cached catalogue: allocates the next receipt number, writes the sale, its outbox item
    /// and the pending stock changes in one transaction (<c>BEGIN IMMEDIATE</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">No identity yet, or a product is not in the cache.</exception>
    Task<LocalSale> RecordSaleAsync(IReadOnlyList<SaleRequestLine> lines, DateTime now, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> pending outbox items, oldest first.</summary>
    Task<IReadOnlyList<OutboxItem>> GetPendingAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>Rejected outbox items, oldest first.</summary>
    Task<IReadOnlyList<OutboxItem>> GetRejectedAsync(CancellationToken cancellationToken = default);

    /// <summary>Counts attempts before a batch is sent (diagnostics only; safe to lose in a crash).</summary>
    Task MarkAttemptAsync(IEnumerable<Guid> ids, DateTime now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the server's answers in one transaction: accepted/duplicate items leave the outbox (the sale keeps the
    /// server id) and their reported stock replaces the cached server quantities; rejected ones stay with their reason.
    /// Unknown ids are ignored.
    /// </summary>
    Task ApplyOutcomesAsync(IEnumerable<SyncItemOutcome> outcomes, DateTime now, CancellationToken cancellationToken = default);

    /// <summary>Moves a rejected item back to pending (manager action); false when it is not rejected.</summary>
    Task<bool> RetryRejectedAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Removes a rejected item from the outbox and its pending stock changes (manager action); false when it is not rejected.</summary>
    Task<bool> DiscardRejectedAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Pending/rejected/unread counters.</summary>
    Task<StoreCounts> GetCountsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes or renews the sync lease for <paramref name="owner"/> until now + <paramref name="duration"/>. Succeeds when
    /// there is no lease, it expired, it is the caller's, or its owner process on this machine is gone.
    /// </summary>
    Task<LeaseResult> TryAcquireLeaseAsync(string owner, TimeSpan duration, DateTime now, CancellationToken cancellationToken = default);

    /// <summary>Releases the lease if <paramref name="owner"/> holds it.</summary>
    Task ReleaseLeaseAsync(string owner, CancellationToken cancellationToken = default);

    /// <summary>Appends a line to the sync log (the log keeps the newest 1,000 lines).</summary>
    Task AppendLogAsync(string kind, string message, DateTime now, CancellationToken cancellationToken = default);

    /// <summary>The newest <paramref name="limit"/> log lines, newest first.</summary>
    Task<IReadOnlyList<SyncLogEntry>> GetLogAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>Stores a notification; false when one with the same id exists.</summary>
    Task<bool> AddNotificationAsync(PosNotification notification, CancellationToken cancellationToken = default);

    /// <summary>Notifications, newest first.</summary>
    Task<IReadOnlyList<PosNotification>> GetNotificationsAsync(bool unreadOnly, int limit, CancellationToken cancellationToken = default);

    /// <summary>Marks one notification read (or all when <paramref name="id"/> is null); returns how many changed.</summary>
    Task<int> MarkNotificationsReadAsync(string? id, CancellationToken cancellationToken = default);
}
