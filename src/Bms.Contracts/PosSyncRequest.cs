namespace Bms.Contracts;

/// <summary>Body of <c>POST /api/pos/sync</c>: <c>{transactions:[…]}</c>, at most 500 items.</summary>
/// <param name="Transactions">The sales, in the order they were made.</param>
public sealed record PosSyncRequest(IReadOnlyList<PosSyncItemRequest?>? Transactions);
