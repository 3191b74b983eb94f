using Bms.Contracts;
using Bms.Web.Components.Models;
using Bunit;

namespace Bms.Web.Components.Tests;

public sealed class TransactionFeedTests : ComponentTestContext
{
    private TransactionInfo Sale(decimal total, int secondsAgo) => new()
    {
        Id = Guid.NewGuid(),
        StoreId = 1,
        Total = total,
        CreatedAt = Clock.GetUtcNow().AddSeconds(-secondsAgo),
        Lines = [new TransactionLineInfo { ProductId = 1, Name = "Apples", Quantity = 2, UnitPrice = total / 2, LineTotal = total }],
        TerminalId = "POS-001",
    };

    [Fact]
    public void ShowsAnEmptyStateWithoutSales()
    {
        var cut = Render<TransactionFeed>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=feed-empty]")), Wait);
    }

    [Fact]
    public void ShowsLoadingRatherThanNoSalesUntilTheFirstLoadAnswers()
    {
        Api.TransactionsGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cut = Render<TransactionFeed>();

        Assert.Equal("Loading sales…", cut.Find("[data-testid=feed-loading]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=feed-empty]"));

        Api.TransactionsGate.SetResult();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=feed-empty]")), Wait);
        Assert.Empty(cut.FindAll("[data-testid=feed-loading]"));
    }

    [Fact]
    public void RelativeTimesAgeWithoutAnyOtherEvent()
    {
        Api.Transactions = [Sale(1m, 0)];
        var cut = Render<TransactionFeed>();
        cut.WaitForAssertion(() => Assert.Equal("just now", cut.Find("[data-testid=transaction] time").TextContent), Wait);

        Clock.Advance(TimeSpan.FromSeconds(75));

        cut.WaitForAssertion(() => Assert.Equal("1 min ago", cut.Find("[data-testid=transaction] time").TextContent), Wait);
    }

    [Fact]
    public async Task ANewSaleAppearsOnTopHighlighted()
    {
        var old = Sale(5m, 120);
        Api.Transactions = [old];
        var cut = Render<TransactionFeed>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=transaction]")), Wait);

        var fresh = Sale(12.5m, 0);
        Api.Transactions = [fresh, old];
        await Connection.PublishAsync(RealtimeEventNames.TransactionCreated, new { id = "e", type = RealtimeEventNames.TransactionCreated, timestamp = Clock.GetUtcNow(), data = fresh });

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=transaction]").Count), Wait);
        var first = cut.FindAll("[data-testid=transaction]")[0];
        Assert.Equal(fresh.Id.ToString(), first.GetAttribute("data-id"));
        Assert.Contains("12.50", first.TextContent);
        Assert.Contains("2 × Apples", first.TextContent);
        Assert.Contains("row-changed", first.ClassList);
        Assert.DoesNotContain("row-changed", cut.FindAll("[data-testid=transaction]")[1].ClassList);
    }

    [Fact]
    public void ShowsWhoSoldIt()
    {
        Api.Transactions =
        [
            Sale(1m, 3),
            Sale(2m, 2) with { TerminalId = null, UserId = 3, UserName = "cashier" },
            Sale(3m, 1) with { TerminalId = null, UserId = 7 },
        ];
        var cut = Render<TransactionFeed>();
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=transaction]").Count), Wait);

        var meta = cut.FindAll("[data-testid=transaction] .bms-feed-meta span").Select(e => e.TextContent).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["POS-001", "cashier", "user 7"], meta);
    }
}
