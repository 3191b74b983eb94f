namespace Bms.Server.Api.Contracts;

/// <summary>Answer to an adjustment: the new quantity (and the old one).</summary>
internal sealed record AdjustInventoryResponse(int ProductId, int StoreId, int OldQuantity, int Quantity);
