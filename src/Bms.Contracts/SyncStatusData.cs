namespace Bms.Contracts;

/// <summary>
/// Data of the <c>sync:status</c> business event. Two sources share it: a terminal's report (<see cref="Source"/> null;
/// the <see cref="SyncStatusReport"/> fields) and an applied <c>POST /api/pos/sync</c> batch (<see cref="Source"/>
/// <c>sync</c>; the batch totals). The server always sets <see cref="TerminalId"/>, <see cref="StoreId"/>,
/// <see cref="ReportedBy"/> and <see cref="ReportedAt"/>.
/// </summary>
/// <param name="TerminalId">The terminal the status is about.</param>
/// <param name="StoreId">The terminal's store.</param>
/// <param name="ReportedBy">Who reported: the terminal id, or <c>user:{id}</c>.</param>
/// <param name="ReportedAt">When the server received the report (UTC).</param>
/// <param name="Source"><c>sync</c> for a batch summary; null for a terminal report.</param>
/// <param name="IsOnline">Report: the terminal's socket is connected.</param>
/// <param name="IsSyncing">Report: a sync run is in progress.</param>
/// <param name="LastSync">Report: end of the last successful sync (UTC).</param>
/// <param name="PendingTransactions">Report: sales waiting in the outbox.</param>
/// <param name="PendingProducts">Report: products with unconfirmed local stock.</param>
/// <param name="SyncErrors">Report: the last sync error and each rejected sale.</param>
/// <param name="Accepted">Batch: items applied now.</param>
/// <param name="Duplicates">Batch: items applied before.</param>
/// <param name="Rejected">Batch: items refused.</param>
/// <param name="NegativeStock">Batch: products the batch left below zero.</param>
public sealed record SyncStatusData(
    string? TerminalId,
    int? StoreId,
    string? ReportedBy,
    DateTime? ReportedAt,
    string? Source = null,
    bool? IsOnline = null,
    bool? IsSyncing = null,
    DateTime? LastSync = null,
    int? PendingTransactions = null,
    int? PendingProducts = null,
    IReadOnlyList<string>? SyncErrors = null,
    int? Accepted = null,
    int? Duplicates = null,
    int? Rejected = null,
    IReadOnlyList<PosStockLevel>? NegativeStock = null);
