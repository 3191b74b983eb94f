namespace Bms.Contracts;

/// <summary>
/// What a terminal sends with the client event <c>sync:status</c> on <c>/pos</c>: its outbox and connection state.
/// The server stamps <c>terminalId</c>, <c>storeId</c>, <c>reportedBy</c> and <c>reportedAt</c> before re-emitting it as
/// <see cref="SyncStatusData"/>.
/// </summary>
/// <param name="TerminalId">The reporting terminal (the server takes it from the token for terminal sockets).</param>
/// <param name="StoreId">The terminal's store.</param>
/// <param name="IsOnline">The terminal's socket is connected.</param>
/// <param name="IsSyncing">A sync run is in progress.</param>
/// <param name="LastSync">End of the last successful sync (UTC), or null.</param>
/// <param name="PendingTransactions">Sales waiting in the outbox.</param>
/// <param name="PendingProducts">Products whose shown stock includes sales the server has not confirmed.</param>
/// <param name="SyncErrors">The last sync error and each rejected sale; empty when all is well.</param>
public sealed record SyncStatusReport(
    string? TerminalId, int? StoreId, bool IsOnline, bool IsSyncing, DateTime? LastSync, int PendingTransactions,
    int PendingProducts, IReadOnlyList<string> SyncErrors);
