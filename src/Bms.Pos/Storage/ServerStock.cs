namespace Bms.Pos.Storage;

/// <summary>The server's quantity of a product, as reported with a sync outcome.</summary>
public sealed record ServerStock(int ProductId, int Quantity);
