namespace Bms.Web.Components.Models;

/// <summary>A sale as <c>GET /api/transactions</c> and the <c>transaction:created</c> event show it.</summary>
public sealed record TransactionInfo
{
    /// <summary>Transaction id.</summary>
    public Guid Id { get; init; }

    /// <summary>The store of the sale.</summary>
    public int StoreId { get; init; }

    /// <summary>Sum of the line totals.</summary>
    public decimal Total { get; init; }

    /// <summary>The sold lines.</summary>
    public IReadOnlyList<TransactionLineInfo> Lines { get; init; } = [];

    /// <summary>When the sale was recorded (UTC).</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The selling user, if a user sold it.</summary>
    public int? UserId { get; init; }

    /// <summary>The selling terminal, if a terminal sold it.</summary>
    public string? TerminalId { get; init; }

    /// <summary>The selling user's name, if a user sold it (older servers send only <see cref="UserId"/>).</summary>
    public string? UserName { get; init; }

    /// <summary>The ISO 4217 code of its store's currency (e.g. <c>EUR</c>); empty when the server did not say.</summary>
    public string Currency { get; init; } = "";
}
