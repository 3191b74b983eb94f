namespace Bms.Pos.Sync;

/// <summary>One line of <see cref="PosSyncTransaction"/>: <c>{productId, quantity, unitPrice}</c>.</summary>
public sealed record PosSyncLine(int ProductId, int Quantity, decimal UnitPrice);
