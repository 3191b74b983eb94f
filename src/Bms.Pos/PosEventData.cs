namespace Bms.Pos;

/// <summary>Payloads of the server events the terminal handles (camelCase JSON; unknown members are ignored).</summary>
public static class PosEventData
{
    /// <summary><c>inventory:updated</c>: a product's stock changed.</summary>
    public sealed record InventoryUpdated(int ProductId, int StoreId, string? Sku, string? Name, int OldQuantity, int NewQuantity, int Delta, string? Reason);

    /// <summary><c>low-stock:alert</c>: a product crossed to at or below its threshold.</summary>
    public sealed record LowStockAlert(int ProductId, int StoreId, string? Sku, string? Name, int Quantity, int LowStockThreshold);

    /// <summary><c>system:notification</c>: a message from an admin.</summary>
    public sealed record SystemNotification(string? Title, string? Message, string? Severity);

    /// <summary><c>sync:request</c>: the back office asks a terminal to sync now (sent to room <c>terminal:{id}</c>).</summary>
    public sealed record SyncRequest(string? TerminalId, string? RequestedBy);
}
