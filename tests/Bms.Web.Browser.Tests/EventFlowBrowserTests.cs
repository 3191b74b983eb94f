using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Bms.Web.Browser.Tests;

/// <summary>The admin's live event-flow page in Debian Chromium against the real backend.</summary>
public sealed class EventFlowBrowserTests(ITestOutputHelper output) : DashboardBrowserTest
{
    [ChromiumFact]
    public async Task AnAdminSeesALiveSaleFlowAndPauseHoldsTheListUntilResumed()
    {
        var page = await DashboardPages.SignInAsync(browser, host, output, "admin").WaitAsync(Step);
        await page.ClickAsync("[data-testid=nav-event-flow]").WaitAsync(Step);
        await Expect(page.Locator("[data-testid=flow-state]")).ToHaveTextAsync("Live").WaitAsync(Step);
        var cashier = await host.TokenAsync("cashier").WaitAsync(Step);

        await SellAsync(cashier, productId: 1).WaitAsync(Step);

        var sales = page.Locator("[data-testid=flow-row][data-name='transaction:created']");
        var toAdmins = page.Locator("[data-testid=flow-row][data-name='transaction:created'][data-namespace='/admin']");
        await Expect(toAdmins).ToHaveCountAsync(1).WaitAsync(Step);
        await Expect(page.Locator("[data-testid=flow-row][data-name='transaction:created'][data-namespace='/main'] [data-testid=flow-rooms]"))
            .ToHaveTextAsync("store:1").WaitAsync(Step);
        await Expect(toAdmins.Locator("[data-testid=flow-recipients]")).ToHaveTextAsync("1").WaitAsync(Step);
        await Expect(toAdmins.Locator("[data-testid=flow-latency]")).ToHaveTextAsync(new Regex(@"^\d+\.\d ms$")).WaitAsync(Step);
        await Expect(page.Locator("[data-testid=rate-series][data-type='transaction:created']")).ToHaveAttributeAsync("data-total", "1").WaitAsync(Step);
        var shown = await sales.CountAsync().WaitAsync(Step);
        await DashboardPages.ScreenshotAsync(page, output, "event-flow-live").WaitAsync(Step);

        await page.ClickAsync("[data-testid=flow-pause]").WaitAsync(Step);
        await Expect(page.Locator("[data-testid=flow-state]")).ToHaveTextAsync("Paused · 0 new").WaitAsync(Step);
        await SellAsync(cashier, productId: 2).WaitAsync(Step);
        await Expect(page.Locator("[data-testid=flow-state]")).ToHaveTextAsync(new Regex(@"^Paused · [1-9]\d* new$")).WaitAsync(Step);
        Assert.Equal(shown, await sales.CountAsync().WaitAsync(Step));
        await DashboardPages.ScreenshotAsync(page, output, "event-flow-paused").WaitAsync(Step);

        await page.ClickAsync("[data-testid=flow-pause]").WaitAsync(Step);
        await Expect(toAdmins).ToHaveCountAsync(2).WaitAsync(Step);
        await Expect(page.Locator("[data-testid=flow-state]")).ToHaveTextAsync("Live").WaitAsync(Step);

        // The filter narrows the list to one store's room.
        await page.SelectOptionAsync("[data-testid=flow-filter-kind]", "event").WaitAsync(Step);
        await page.FillAsync("[data-testid=flow-filter-room]", "store:1").WaitAsync(Step);
        await Expect(toAdmins).ToHaveCountAsync(0).WaitAsync(Step);
        await Expect(page.Locator("[data-testid=flow-row][data-name='transaction:created'][data-namespace='/pos']")).ToHaveCountAsync(2).WaitAsync(Step);
    }

    [ChromiumFact]
    public async Task AManagerHasNoEventFlowLinkAndIsRefusedThePage()
    {
        var page = await DashboardPages.SignInAsync(browser, host, output, "manager").WaitAsync(Step);
        // The menu is rendered (a manager's own links are there) before the missing link counts as missing.
        await Expect(page.Locator("[data-testid=nav-pos]")).ToBeVisibleAsync(new() { Timeout = DashboardPages.AppStartTimeout }).WaitAsync(Step);
        await Expect(page.Locator("[data-testid=nav-event-flow]")).ToHaveCountAsync(0).WaitAsync(Step);

        await page.GotoAsync("/admin/event-flow").WaitAsync(Step);

        await Expect(page.Locator("[data-testid=access-denied]")).ToBeVisibleAsync(new() { Timeout = DashboardPages.AppStartTimeout }).WaitAsync(Step);
        await Expect(page.Locator("[data-testid=flow-records]")).ToHaveCountAsync(0).WaitAsync(Step);
    }

    private async Task SellAsync(string token, int productId)
    {
        var (status, _, _) = await host.SendAsync(HttpMethod.Post, "/api/transactions", token,
            new { storeId = 1, lines = new[] { new { productId, quantity = 1 } } });
        Assert.Equal(HttpStatusCode.Created, status);
    }
}
