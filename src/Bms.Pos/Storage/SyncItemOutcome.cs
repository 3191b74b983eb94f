namespace Bms.Pos.Storage;

/// <summary>The outcome of one outbox item, as recorded by <see cref="ISyncStore.ApplyOutcomesAsync"/>.</summary>
/// <param name="Id">The item (sale) id.</param>
/// <param name="Status">Accepted and duplicate remove the item from the outbox; rejected keeps it with <paramref name="Reason"/>.</param>
/// <param name="Reason">Why it was rejected (code and detail), or null.</param>
/// <param name="ServerTransactionId">The server's transaction id, when known.</param>
/// <param name="Stock">
/// The server's quantities of the sale's products when it answered (accepted or duplicate): they replace the cached
/// base quantity in the same local transaction that drops the sale's pending deduction.
/// </param>
public sealed record SyncItemOutcome(
    Guid Id, SyncItemStatus Status, string? Reason = null, string? ServerTransactionId = null, IReadOnlyList<ServerStock>? Stock = null);
