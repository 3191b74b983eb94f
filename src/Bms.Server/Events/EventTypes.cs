namespace Bms.Server.Events;

/// <summary>The closed set of business event names emitted to sockets.</summary>
internal static class EventTypes
{
    public const string ProductUpdated = "product:updated";
    public const string InventoryUpdated = "inventory:updated";
    public const string TransactionCreated = "transaction:created";
    public const string LowStockAlert = "low-stock:alert";
    public const string UserUpdated = "user:updated";
    public const string SystemNotification = "system:notification";
    public const string SyncStatus = "sync:status";
}
