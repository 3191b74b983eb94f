using Bms.Realtime.Client;

namespace Bms.Pos;

/// <summary>
/// Sync monitoring: <c>{connectionHealth, websocketState, isOnline, isSyncing, lastSyncTime, pendingTransactions,
/// pendingProducts}</c>, read by <see cref="PosWebSocketService.GetMonitoringSnapshotAsync"/>.
/// </summary>
/// <param name="ConnectionHealth">The client's health (heartbeat, latency, buffering).</param>
/// <param name="WebsocketState">The engine connection state.</param>
/// <param name="IsOnline">The <c>/pos</c> socket is connected.</param>
/// <param name="IsSyncing">A sync run is in progress.</param>
/// <param name="LastSyncTime">End of the last successful sync (UTC), or null.</param>
/// <param name="PendingTransactions">Sales waiting in the outbox.</param>
/// <param name="PendingProducts">Products with unconfirmed local stock changes.</param>
public sealed record SyncMonitoringSnapshot(
    ConnectionHealth ConnectionHealth,
    ConnectionState WebsocketState,
    bool IsOnline,
    bool IsSyncing,
    DateTime? LastSyncTime,
    int PendingTransactions,
    int PendingProducts);
