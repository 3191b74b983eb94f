namespace Bms.Server.Services;

/// <summary>
/// Domain limits of a product's stock. Every stock change is computed in 64-bit arithmetic and checked against these
/// bounds before it is stored, so no request can overflow the 32-bit quantity column.
/// </summary>
internal static class StockLimits
{
    /// <summary>The largest quantity a product may hold (1,000,000,000).</summary>
    public const int MaxQuantity = 1_000_000_000;

    /// <summary>The largest negative-stock allowance that may be configured for offline sales (1,000,000).</summary>
    public const int MaxNegativeStockAllowance = 1_000_000;
}
