namespace Bms.Web.Components.Models;

/// <summary>The backend's business event names the dashboard listens to (see the backend README).</summary>
public static class RealtimeEventNames
{
    /// <summary>A product was created or changed.</summary>
    public const string ProductUpdated = "product:updated";

    /// <summary>A stock quantity changed (sale or adjustment).</summary>
    public const string InventoryUpdated = "inventory:updated";

    /// <summary>A sale was recorded.</summary>
    public const string TransactionCreated = "transaction:created";

    /// <summary>A quantity crossed to at or below its threshold.</summary>
    public const string LowStockAlert = "low-stock:alert";

    /// <summary>A user account changed.</summary>
    public const string UserUpdated = "user:updated";

    /// <summary>An administrator sent a notification.</summary>
    public const string SystemNotification = "system:notification";

    /// <summary>A POS terminal reported its sync state.</summary>
    public const string SyncStatus = "sync:status";

    /// <summary>The namespace every signed-in user may join.</summary>
    public const string MainNamespace = "/main";
}
