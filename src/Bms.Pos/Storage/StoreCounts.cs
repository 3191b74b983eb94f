namespace Bms.Pos.Storage;

/// <summary>Counters read in one go from the store for status displays.</summary>
/// <param name="PendingTransactions">Outbox items waiting to be sent.</param>
/// <param name="PendingProducts">Products whose cached stock includes local sales the server has not confirmed.</param>
/// <param name="RejectedTransactions">Outbox items refused and waiting for a manager.</param>
/// <param name="UnreadNotifications">Notifications not marked read.</param>
public sealed record StoreCounts(int PendingTransactions, int PendingProducts, int RejectedTransactions, int UnreadNotifications);
