using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Bms.Web.Browser.Tests;

/// <summary>
/// End to end: the real backend with the dashboard, Debian Chromium driven by Playwright. Changes are made through
/// the REST API (as a POS or an administrator would) and must show up on the open page without a reload.
/// </summary>
public sealed class DashboardBrowserTests(ITestOutputHelper output) : DashboardBrowserTest
{
    [ChromiumFact]
    public async Task AManagerSignsInAndSeesASaleChangeTheStockAndJoinTheFeedWithoutReload()
    {
        var page = await SignInAsync("manager").WaitAsync(Step);
        await Expect(page.Locator("[data-testid=signed-in-user]")).ToHaveTextAsync("manager").WaitAsync(Step);
        var quantity = page.Locator("[data-testid=qty-1]");
        await Expect(quantity).ToHaveTextAsync(new Regex(@"^\d+$")).WaitAsync(Step);
        var before = int.Parse(await quantity.TextContentAsync().WaitAsync(Step) ?? "", System.Globalization.CultureInfo.InvariantCulture);
        await page.EvaluateAsync("() => window.__sameDocument = true").WaitAsync(Step);
        await ScreenshotAsync(page, "dashboard-before-sale").WaitAsync(Step);

        var token = await host.TokenAsync("manager").WaitAsync(Step);
        var (status, sale, _) = await host.SendAsync(HttpMethod.Post, "/api/transactions", token,
            new { storeId = 1, lines = new[] { new { productId = 1, quantity = 2 } } }).WaitAsync(Step);
        Assert.Equal(HttpStatusCode.Created, status);
        var saleId = sale.GetProperty("id").GetString();

        await Expect(quantity).ToHaveTextAsync((before - 2).ToString(System.Globalization.CultureInfo.InvariantCulture)).WaitAsync(Step);
        await Expect(page.Locator("[data-product-id='1']")).ToHaveAttributeAsync("data-changed", "true").WaitAsync(Step);
        await Expect(page.Locator($"[data-testid=transaction][data-id='{saleId}']")).ToBeVisibleAsync().WaitAsync(Step);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true").WaitAsync(Step), "the page was reloaded");
        await ScreenshotAsync(page, "dashboard-after-sale").WaitAsync(Step);
    }

    [ChromiumFact]
    public async Task AnAdminNotificationAppearsWithTheUnreadCount()
    {
        var page = await SignInAsync("manager").WaitAsync(Step);
        var unread = page.Locator("[data-testid=unread-count]");
        await Expect(unread).ToHaveTextAsync("0").WaitAsync(Step);

        var admin = await host.TokenAsync("admin").WaitAsync(Step);
        var (status, _, _) = await host.SendAsync(HttpMethod.Post, "/api/notifications", admin,
            new { title = "Fire drill at 3 pm", message = "Please close the tills at 2:55 pm.", severity = "warning" }).WaitAsync(Step);
        Assert.Equal(HttpStatusCode.Accepted, status);

        await Expect(unread).ToHaveTextAsync("1").WaitAsync(Step);
        var item = page.Locator("[data-testid=notification]").First;
        await Expect(item).ToContainTextAsync("Fire drill at 3 pm").WaitAsync(Step);
        await Expect(item).ToHaveClassAsync(new Regex("is-unread")).WaitAsync(Step);
        await ScreenshotAsync(page, "dashboard-notification").WaitAsync(Step);

        await item.Locator("[data-testid=mark-read]").ClickAsync().WaitAsync(Step);
        await Expect(unread).ToHaveTextAsync("0").WaitAsync(Step);
    }

    [ChromiumFact]
    public async Task AServerSideDisconnectShowsReconnectingAndThenConnectedAgain()
    {
        var page = await SignInAsync("manager").WaitAsync(Step);
        var status = page.Locator("[data-testid=ws-status]");
        await Expect(status).ToHaveAttributeAsync("data-state", "Connected").WaitAsync(Step);
        await host.WaitForRoomAsync("/main", "store:1").WaitAsync(Step);

        // Drop the dashboard's engine connections from the server side, as a network cut would (transport close, no
        // namespace DISCONNECT first): the client retries. After DisconnectSocketsAsync(close: true) it would not,
        // because that sends a namespace DISCONNECT first and a server-side namespace disconnect is final in socket.io.
        var dropped = await host.DropConnectionsAsync("/main").WaitAsync(Step);
        Assert.True(dropped > 0, "no dashboard connection to drop");

        await Expect(status).ToHaveAttributeAsync("data-state", "Reconnecting").WaitAsync(Step);
        await Expect(page.Locator("[data-testid=ws-state]")).ToHaveTextAsync("Reconnecting").WaitAsync(Step);
        await ScreenshotAsync(page, "dashboard-reconnecting").WaitAsync(Step);
        await Expect(status).ToHaveAttributeAsync("data-state", "Connected").WaitAsync(Step);

        // The store room is re-joined after the reconnect, so live updates arrive again.
        await host.WaitForRoomAsync("/main", "store:1").WaitAsync(Step);
        var quantity = page.Locator("[data-testid=qty-2]");
        var before = int.Parse(await quantity.TextContentAsync().WaitAsync(Step) ?? "", System.Globalization.CultureInfo.InvariantCulture);
        var token = await host.TokenAsync("manager").WaitAsync(Step);
        var (adjusted, _, _) = await host.SendAsync(HttpMethod.Post, "/api/inventory/adjust", token, new { productId = 2, delta = 5, reason = "delivery" }).WaitAsync(Step);
        Assert.Equal(HttpStatusCode.OK, adjusted);
        await Expect(quantity).ToHaveTextAsync((before + 5).ToString(System.Globalization.CultureInfo.InvariantCulture)).WaitAsync(Step);
    }

    [ChromiumFact]
    public async Task TheDashboardFitsATabletAndTheAdminPageListsTheConnectedDashboard()
    {
        var page = await SignInAsync("admin", width: 820, height: 1180).WaitAsync(Step);
        await Expect(page.Locator("[data-testid=product-row]").First).ToBeVisibleAsync().WaitAsync(Step);
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1").WaitAsync(Step);
        Assert.False(overflow, "the dashboard scrolls sideways at tablet width");
        await ScreenshotAsync(page, "dashboard-tablet").WaitAsync(Step);

        await page.Locator("[data-testid=nav-admin]").ClickAsync().WaitAsync(Step);
        await Expect(page.Locator("[data-testid=connected-row][data-kind=user]").First).ToBeVisibleAsync().WaitAsync(Step);
        await Expect(page.Locator("[data-testid=connected-users]")).ToContainTextAsync("admin").WaitAsync(Step);
        await ScreenshotAsync(page, "admin-tablet").WaitAsync(Step);
    }

    [ChromiumFact]
    public async Task AWrongPasswordKeepsTheUserOnTheSignInPageWithAnError()
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = host.BaseAddress.ToString() }).WaitAsync(Step);
        var page = await context.NewPageAsync().WaitAsync(Step);
        await page.GotoAsync("/").WaitAsync(Step);
        await Expect(page).ToHaveURLAsync(new Regex("/signin")).WaitAsync(Step);

        await page.FillAsync("[data-testid=username]", "manager").WaitAsync(Step);
        await page.FillAsync("[data-testid=password]", "wrong").WaitAsync(Step);
        await page.ClickAsync("[data-testid=signin-submit]").WaitAsync(Step);

        await Expect(page.Locator("[data-testid=signin-error]")).ToHaveTextAsync("Invalid username or password.").WaitAsync(Step);
        await Expect(page).ToHaveURLAsync(new Regex("/signin")).WaitAsync(Step);
    }

    private Task<IPage> SignInAsync(string username, int width = 1366, int height = 900) =>
        DashboardPages.SignInAsync(browser, host, output, username, width, height);

    private Task ScreenshotAsync(IPage page, string name) => DashboardPages.ScreenshotAsync(page, output, name);
}
