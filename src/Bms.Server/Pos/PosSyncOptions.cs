using Bms.Server.Services;

namespace Bms.Server.Pos;

/// <summary>POS sync settings, bound from <c>Bms:PosSync</c>. Validated at start.</summary>
public sealed class PosSyncOptions
{
    /// <summary>
    /// How far below zero an offline sale synced through <c>POST /api/pos/sync</c> may take a product's stock. A sale
    /// that would go further is rejected alone (reason <c>negative_stock_limit</c>) and stays on the terminal as a
    /// rejected sale for a manager to review. 0 refuses any negative stock; at most 1,000,000. Default 1,000.
    /// </summary>
    public int NegativeStockAllowance { get; set; } = 1_000;

    internal static bool IsValid(PosSyncOptions options) =>
        options.NegativeStockAllowance is >= 0 and <= StockLimits.MaxNegativeStockAllowance;
}
