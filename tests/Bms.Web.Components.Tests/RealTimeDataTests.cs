using Bms.Contracts;
using Bms.Web.Components.Models;
using Bms.Web.Components.Tests.Fakes;
using Bunit;

namespace Bms.Web.Components.Tests;

public sealed class RealTimeDataTests : ComponentTestContext
{
    public RealTimeDataTests()
    {
        Api.Products =
        [
            FakeBmsApi.Product(1, "Apples", 40),
            FakeBmsApi.Product(2, "Bread", 3, threshold: 5),
            FakeBmsApi.Product(3, "Coffee", 0, threshold: 2),
        ];
    }

    private object InventoryEvent(int productId, int oldQuantity, int newQuantity) => new
    {
        id = Guid.NewGuid().ToString(),
        type = RealtimeEventNames.InventoryUpdated,
        timestamp = Clock.GetUtcNow(),
        data = new { productId, storeId = 1, oldQuantity, newQuantity, reason = "sale" },
    };

    [Fact]
    public void InventoryViewMarksLowAndOutOfStockRows()
    {
        var cut = Render<RealTimeData>();

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=product-row]").Count), Wait);
        Assert.Empty(cut.Find("[data-product-id='1']").ClassList);
        Assert.Contains("row-low", cut.Find("[data-product-id='2']").ClassList);
        Assert.Contains("row-out", cut.Find("[data-product-id='3']").ClassList);
        Assert.Contains("Low stock", cut.Find("[data-product-id='2']").TextContent);
        Assert.Contains("Out of stock", cut.Find("[data-product-id='3']").TextContent);
        Assert.Equal("1 low on stock", cut.Find("[data-testid=low-stock-count]").TextContent);
        Assert.Equal("1 out of stock", cut.Find("[data-testid=out-of-stock-count]").TextContent);
        Assert.Contains("12:00:00 UTC", cut.Find("[data-testid=last-update]").TextContent);
    }

    [Fact]
    public async Task AnInventoryEventReloadsTheTableAndHighlightsOnlyTheChangedRow()
    {
        var cut = Render<RealTimeData>(p => p.Add(c => c.HighlightDuration, TimeSpan.FromSeconds(4)));
        cut.WaitForAssertion(() => Assert.Equal("40", cut.Find("[data-testid=qty-1]").TextContent), Wait);

        Api.Products[0] = Api.Products[0] with { Quantity = 37 };
        Clock.Advance(TimeSpan.FromSeconds(30));
        await Connection.PublishAsync(RealtimeEventNames.InventoryUpdated, InventoryEvent(1, 40, 37));

        cut.WaitForAssertion(() => Assert.Equal("37", cut.Find("[data-testid=qty-1]").TextContent), Wait);
        Assert.Equal("true", cut.Find("[data-product-id='1']").GetAttribute("data-changed"));
        Assert.Equal("false", cut.Find("[data-product-id='2']").GetAttribute("data-changed"));
        Assert.Contains("12:00:30 UTC", cut.Find("[data-testid=last-update]").TextContent);

        // The highlight fades once its duration has passed.
        Clock.Advance(TimeSpan.FromSeconds(5));
        cut.WaitForAssertion(() => Assert.Equal("false", cut.Find("[data-product-id='1']").GetAttribute("data-changed")), Wait);
    }

    [Fact]
    public async Task ARowThatDropsBelowItsThresholdTurnsLowStock()
    {
        var cut = Render<RealTimeData>();
        cut.WaitForAssertion(() => Assert.Empty(cut.Find("[data-product-id='1']").ClassList), Wait);

        Api.Products[0] = Api.Products[0] with { Quantity = 5 };
        await Connection.PublishAsync(RealtimeEventNames.InventoryUpdated, InventoryEvent(1, 40, 5));

        cut.WaitForAssertion(() => Assert.Contains("row-low", cut.Find("[data-product-id='1']").ClassList), Wait);
        Assert.Equal("2 low on stock", cut.Find("[data-testid=low-stock-count]").TextContent);
        Assert.Equal("1 out of stock", cut.Find("[data-testid=out-of-stock-count]").TextContent);
    }

    [Fact]
    public void ProductsViewShowsPricesAndNoStockStatus()
    {
        var cut = Render<RealTimeData>(p => p.Add(c => c.View, RealTimeDataView.Products));

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=product-row]").Count), Wait);
        Assert.Equal("Products", cut.Find("h2").TextContent);
        Assert.Contains("9.99", cut.Find("[data-product-id='1']").TextContent);
        Assert.DoesNotContain("row-low", cut.Find("[data-product-id='2']").ClassList);
        Assert.Empty(cut.FindAll("[data-testid=low-stock-count]"));
    }

    [Fact]
    public void StoreIdShowsOnlyThatStoresProducts()
    {
        Api.Products.Add(FakeBmsApi.Product(9, "Elsewhere", 10) with { StoreId = 2 });

        var cut = Render<RealTimeData>(p => p.Add(c => c.StoreId, 2));

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=product-row]")), Wait);
        Assert.NotNull(cut.Find("[data-product-id='9']"));
    }

    [Fact]
    public void ALoadFailureIsShownInsteadOfAnEmptyTable()
    {
        Api.Failure = new HttpRequestException("503 Service Unavailable");

        var cut = Render<RealTimeData>();

        cut.WaitForAssertion(() => Assert.Contains("503 Service Unavailable", cut.Find("[data-testid=live-data-error]").TextContent), Wait);
    }

    [Fact]
    public async Task TwoTablesShareOneLoadAndOneSubscriptionPerEvent()
    {
        Render<RealTimeData>();
        Render<RealTimeData>(p => p.Add(c => c.View, RealTimeDataView.Products));
        await Task.Delay(50).WaitAsync(Wait);

        Assert.Equal(1, Api.ProductLoads);
        Assert.Equal(1, Connection.SubscriptionsFor(RealtimeEventNames.InventoryUpdated));
        Assert.Equal(1, Connection.SubscriptionsFor(RealtimeEventNames.ProductUpdated));
    }
}
