namespace Bms.Contracts;

/// <summary>Answer to an adjustment: the new quantity (and the old one).</summary>
public sealed record AdjustInventoryResponse(int ProductId, int StoreId, int OldQuantity, int Quantity);
