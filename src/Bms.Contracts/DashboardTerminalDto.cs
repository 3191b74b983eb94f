namespace Bms.Contracts;

/// <summary>
/// One POS terminal as <c>GET /api/dashboard/terminals</c> shows it: whether its real-time connection is up and what its
/// last <c>sync:status</c> report said.
/// </summary>
/// <param name="TerminalId">Terminal id, e.g. <c>POS-001</c>.</param>
/// <param name="Name">Display name, e.g. <c>Till 1</c>.</param>
/// <param name="StoreId">The terminal's store.</param>
/// <param name="IsConnected">True while the terminal has a real-time connection to the server; null when unknown.</param>
/// <param name="SyncState">The sync state from the last report: 0 unknown (no report yet), 1 synced, 2 syncing, 3 pending (sales waiting), 4 offline, 5 error (the last sync failed).</param>
/// <param name="PendingTransactions">Sales waiting in the terminal's outbox.</param>
/// <param name="PendingProducts">Catalogue changes waiting to be applied on the terminal.</param>
/// <param name="LastSyncAt">When the terminal last completed a sync.</param>
/// <param name="LastReportAt">When the last report arrived.</param>
/// <param name="LastError">The last error the terminal reported, if any.</param>
/// <param name="Errors">Errors reported since the terminal started (most recent last), as far as the reports carry them.</param>
/// <param name="Latency">Round-trip latency the terminal reported (<c>[d.]hh:mm:ss[.fffffff]</c>), if any.</param>
/// <param name="Health">0 healthy (connected and synced), 1 degraded (pending sales, a running sync or an unknown connection), 2 unhealthy (disconnected, offline or failing).</param>
public sealed record DashboardTerminalDto(
    string TerminalId, string? Name, int? StoreId, bool? IsConnected, int SyncState, int PendingTransactions, int PendingProducts,
    DateTimeOffset? LastSyncAt, DateTimeOffset? LastReportAt, string? LastError, IReadOnlyList<string> Errors, TimeSpan? Latency, int Health);
