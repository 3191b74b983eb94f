namespace Bms.Contracts;

/// <summary>
/// The closed set of business event names the server emits to sockets, each carrying an
/// <see cref="EventEnvelope{T}"/> (<see cref="RealtimeEventCatalog"/> lists payload types and namespaces).
/// </summary>
public static class RealtimeEventNames
{
    /// <summary>A product was created or changed; data <see cref="ProductUpdatedData"/>.</summary>
    public const string ProductUpdated = "product:updated";

    /// <summary>A stock quantity changed (sale or adjustment); data <see cref="InventoryUpdatedData"/>.</summary>
    public const string InventoryUpdated = "inventory:updated";

    /// <summary>A sale was recorded; data <see cref="TransactionDto"/>.</summary>
    public const string TransactionCreated = "transaction:created";

    /// <summary>A quantity crossed to at or below its threshold; data <see cref="LowStockAlertData"/>.</summary>
    public const string LowStockAlert = "low-stock:alert";

    /// <summary>A user account changed; data <see cref="UserDto"/>.</summary>
    public const string UserUpdated = "user:updated";

    /// <summary>An administrator sent a notification; data <see cref="NotificationDto"/>.</summary>
    public const string SystemNotification = "system:notification";

    /// <summary>A POS terminal reported its sync state, or a sync batch was applied; data <see cref="SyncStatusData"/>.</summary>
    public const string SyncStatus = "sync:status";

    /// <summary>The back office asks a terminal to sync now (room <c>terminal:{id}</c> on <c>/pos</c>); data <see cref="SyncRequestData"/>.</summary>
    public const string SyncRequest = "sync:request";

    /// <summary>The namespace every signed-in user may join (<see cref="RealtimeNamespaceNames.Main"/>).</summary>
    public const string MainNamespace = RealtimeNamespaceNames.Main;
}
