namespace Bms.Pos.Sync;

/// <summary>What one sync run did (or a sum of runs, from <see cref="SyncService.SyncUntilDrainedAsync"/>).</summary>
/// <param name="Succeeded">True when the outbox push and the catalogue pull both completed.</param>
/// <param name="LeaseBusy">True when another process held the sync lease, so nothing was sent.</param>
/// <param name="Sent">Transactions sent to the server.</param>
/// <param name="Accepted">Applied by the server now.</param>
/// <param name="Duplicates">Already applied earlier (a retry of an unanswered batch).</param>
/// <param name="Rejected">Refused (by the server, or locally as malformed/oversized).</param>
/// <param name="Pulled">Products received from the catalogue pull.</param>
/// <param name="Error">Why the run failed, or null.</param>
/// <param name="StartedAt">Start (UTC).</param>
/// <param name="FinishedAt">End (UTC).</param>
/// <param name="NegativeStock">Products the server reports below zero after these sales.</param>
public sealed record SyncRunResult(
    bool Succeeded,
    bool LeaseBusy,
    int Sent,
    int Accepted,
    int Duplicates,
    int Rejected,
    int Pulled,
    string? Error,
    DateTime StartedAt,
    DateTime FinishedAt,
    IReadOnlyList<PosStockLevel> NegativeStock);
