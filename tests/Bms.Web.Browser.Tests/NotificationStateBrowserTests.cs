using System.Net;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Bms.Web.Browser.Tests;

/// <summary>
/// The notification list and its read state live on the server: what was raised while the user was away is there
/// when they sign in, and a reload or a second browser shows the same list and unread count.
/// </summary>
public sealed class NotificationStateBrowserTests(ITestOutputHelper output) : DashboardBrowserTest
{
    [ChromiumFact]
    public async Task NotificationsRaisedWhileAwayAndTheirReadStateShowTheSameAfterAReloadAndInASecondBrowser()
    {
        // While the manager has no dashboard open: a system notice and a low-stock alert of their store.
        var admin = await host.TokenAsync("admin").WaitAsync(Step);
        var (sent, _, _) = await host.SendAsync(HttpMethod.Post, "/api/notifications", admin,
            new { title = "Inventory count on Friday", message = "Count the back room first.", severity = "info" }).WaitAsync(Step);
        Assert.Equal(HttpStatusCode.Accepted, sent);
        var (adjusted, _, _) = await host.SendAsync(HttpMethod.Post, "/api/inventory/adjust", admin,
            new { productId = 1, delta = -35, reason = "count" }).WaitAsync(Step);
        Assert.Equal(HttpStatusCode.OK, adjusted);

        var first = await DashboardPages.SignInAsync(browser, host, output, "manager").WaitAsync(Step);
        var items = first.Locator("[data-testid=notification]");
        await Expect(items).ToHaveCountAsync(2).WaitAsync(Step);
        await Expect(first.Locator("[data-testid=unread-count]")).ToHaveTextAsync("2").WaitAsync(Step);
        await Expect(items.First).ToContainTextAsync("Low stock: Espresso Beans 1kg").WaitAsync(Step);

        // Read the alert, then one that arrives live.
        await items.First.Locator("[data-testid=mark-read]").ClickAsync().WaitAsync(Step);
        await Expect(first.Locator("[data-testid=unread-count]")).ToHaveTextAsync("1").WaitAsync(Step);
        await host.SendAsync(HttpMethod.Post, "/api/notifications", admin,
            new { title = "Delivery at noon", message = "Dock 2.", severity = "warning" }).WaitAsync(Step);
        await Expect(items).ToHaveCountAsync(3).WaitAsync(Step);
        await Expect(first.Locator("[data-testid=unread-count]")).ToHaveTextAsync("2").WaitAsync(Step);
        await items.First.Locator("[data-testid=mark-read]").ClickAsync().WaitAsync(Step);
        await Expect(first.Locator("[data-testid=unread-count]")).ToHaveTextAsync("1").WaitAsync(Step);
        var expected = await StateAsync(first).WaitAsync(Step);
        await DashboardPages.ScreenshotAsync(first, output, "notifications-first-browser").WaitAsync(Step);

        await first.ReloadAsync().WaitAsync(Step);
        await Expect(first.Locator("[data-testid=ws-status]")).ToHaveAttributeAsync("data-state", "Connected", new() { Timeout = DashboardPages.AppStartTimeout }).WaitAsync(Step);
        await Expect(items).ToHaveCountAsync(3).WaitAsync(Step);
        await Expect(first.Locator("[data-testid=unread-count]")).ToHaveTextAsync("1").WaitAsync(Step);
        Assert.Equal(expected, await StateAsync(first).WaitAsync(Step));

        var second = await DashboardPages.SignInAsync(browser, host, output, "manager").WaitAsync(Step);
        await Expect(second.Locator("[data-testid=notification]")).ToHaveCountAsync(3).WaitAsync(Step);
        await Expect(second.Locator("[data-testid=unread-count]")).ToHaveTextAsync("1").WaitAsync(Step);
        Assert.Equal(expected, await StateAsync(second).WaitAsync(Step));

        // Clear all in the second browser lasts: the first one finds an empty list after a reload.
        await second.Locator("[data-testid=clear-all]").ClickAsync().WaitAsync(Step);
        await Expect(second.Locator("[data-testid=notifications-empty]")).ToBeVisibleAsync().WaitAsync(Step);
        await WaitUntilClearedOnServerAsync().WaitAsync(Step);
        await first.ReloadAsync().WaitAsync(Step);
        await Expect(first.Locator("[data-testid=ws-status]")).ToHaveAttributeAsync("data-state", "Connected", new() { Timeout = DashboardPages.AppStartTimeout }).WaitAsync(Step);
        await Expect(first.Locator("[data-testid=notifications-empty]")).ToBeVisibleAsync().WaitAsync(Step);
        await Expect(first.Locator("[data-testid=unread-count]")).ToHaveTextAsync("0").WaitAsync(Step);

        // Another user's list is their own.
        var cashier = await DashboardPages.SignInAsync(browser, host, output, "cashier").WaitAsync(Step);
        await Expect(cashier.Locator("[data-testid=notification]")).ToHaveCountAsync(3).WaitAsync(Step);
        await Expect(cashier.Locator("[data-testid=unread-count]")).ToHaveTextAsync("3").WaitAsync(Step);
    }

    private static Task<string[]> StateAsync(IPage page) =>
        page.Locator("[data-testid=notification]").EvaluateAllAsync<string[]>(
            "items => items.map(i => i.dataset.id + ':' + (i.classList.contains('is-read') ? 'read' : 'unread'))");

    private async Task WaitUntilClearedOnServerAsync()
    {
        var manager = await host.TokenAsync("manager");
        while (true)
        {
            var (_, list, _) = await host.SendAsync(HttpMethod.Get, "/api/notifications", manager);
            if (list.GetArrayLength() == 0)
            {
                return;
            }

            await Task.Delay(100);
        }
    }
}
