namespace Bms.Pos.Storage;

/// <summary>What the cashier rang up: a product (by id) and a quantity (1 or more).</summary>
public sealed record SaleRequestLine(int ProductId, int Quantity);
