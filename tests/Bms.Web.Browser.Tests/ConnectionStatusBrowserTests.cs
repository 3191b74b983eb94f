using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Bms.Web.Browser.Tests;

/// <summary>
/// The header's status pill describes the browser's own Socket.IO connection: it turns Reconnecting when the server
/// goes away or the browser goes offline, shows the next retry, and comes back to Connected without a page reload,
/// with the rooms re-joined and the data the page missed reloaded.
/// </summary>
public sealed class ConnectionStatusBrowserTests(ITestOutputHelper output) : DashboardBrowserTest
{
    protected override bool StartsHost => false;

    [ChromiumFact]
    public async Task AStoppedServerShowsReconnectingWithTheNextRetryAndARestartReconnectsWithoutReloadWithTheMissedStock()
    {
        await using var host = await Dashboard.StartAsync().WaitAsync(Step);
        var page = await DashboardPages.SignInAsync(browser, host, output, "manager").WaitAsync(Step);
        var status = page.Locator("[data-testid=ws-status]");
        var quantity = page.Locator("[data-testid=qty-2]");
        await Expect(quantity).ToHaveTextAsync(new Regex(@"^\d+$")).WaitAsync(Step);
        var before = int.Parse(await quantity.TextContentAsync().WaitAsync(Step) ?? "", CultureInfo.InvariantCulture);
        await page.EvaluateAsync("() => window.__sameDocument = true").WaitAsync(Step);
        await host.WaitForRoomAsync("/main", "store:1").WaitAsync(Step);

        await host.StopServerAsync().WaitAsync(Step);
        var down = Stopwatch.StartNew();
        await Expect(status).ToHaveAttributeAsync("data-state", "Reconnecting", new() { Timeout = 3_000 }).WaitAsync(Step);
        output.WriteLine($"Reconnecting shown {down.ElapsedMilliseconds} ms after the server stopped");
        await Expect(page.Locator("[data-testid=ws-next-retry]")).ToHaveTextAsync(new Regex(@"^(retry in \d+ s|retrying…)$")).WaitAsync(Step);
        await DashboardPages.ScreenshotAsync(page, output, "status-server-down").WaitAsync(Step);

        // Stock changes while the page cannot hear about it.
        await host.AddStockInDatabaseAsync(productId: 2, delta: 7).WaitAsync(Step);
        await host.StartServerAsync().WaitAsync(Step);
        var up = Stopwatch.StartNew();

        // Back within the backoff cap (3 s) + 2 s, in the same document.
        await Expect(status).ToHaveAttributeAsync("data-state", "Connected", new() { Timeout = 5_000 }).WaitAsync(Step);
        output.WriteLine($"Connected again {up.ElapsedMilliseconds} ms after the server started");
        await host.WaitForRoomAsync("/main", "store:1").WaitAsync(Step);
        await Expect(quantity).ToHaveTextAsync((before + 7).ToString(CultureInfo.InvariantCulture)).WaitAsync(Step);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true").WaitAsync(Step), "the page was reloaded");

        // The pill's detail view reads the client's statistics.
        await page.Locator("[data-testid=ws-pill]").ClickAsync().WaitAsync(Step);
        await Expect(page.Locator("[data-testid=ws-reconnects]")).ToHaveTextAsync("1").WaitAsync(Step);
        await Expect(page.Locator("[data-testid=ws-transport]")).ToHaveTextAsync("WebSocket").WaitAsync(Step);
        await Expect(page.Locator("[data-testid=ws-buffered]")).ToHaveTextAsync("0").WaitAsync(Step);
        await Expect(page.Locator("[data-testid=ws-latency]")).ToHaveTextAsync(new Regex(@"^\d+ ms$")).WaitAsync(Step);
        await DashboardPages.ScreenshotAsync(page, output, "status-details").WaitAsync(Step);
    }

    [ChromiumFact]
    public async Task GoingOfflineInTheBrowserShowsReconnectingAndComingBackOnlineConnectsAgain()
    {
        // A 2 s heartbeat: without pings for 4 s the client gives the connection up, as socket.io-client does.
        await using var host = await Dashboard.StartAsync(TimeSpan.FromSeconds(2)).WaitAsync(Step);
        var page = await DashboardPages.SignInAsync(browser, host, output, "manager").WaitAsync(Step);
        var status = page.Locator("[data-testid=ws-status]");

        await page.Context.SetOfflineAsync(true).WaitAsync(Step);
        await Expect(status).ToHaveAttributeAsync("data-state", "Reconnecting").WaitAsync(Step);
        await DashboardPages.ScreenshotAsync(page, output, "status-offline").WaitAsync(Step);

        await page.Context.SetOfflineAsync(false).WaitAsync(Step);
        await Expect(status).ToHaveAttributeAsync("data-state", "Connected").WaitAsync(Step);
        await host.WaitForRoomAsync("/main", "store:1").WaitAsync(Step);
    }

    [ChromiumFact]
    public async Task TheAppKeepsNoTokenInWebStorageAndTheTokenEndpointWantsTheCookieAndTheAntiforgeryToken()
    {
        await using var host = await Dashboard.StartAsync().WaitAsync(Step);
        var page = await DashboardPages.SignInAsync(browser, host, output, "manager").WaitAsync(Step);

        // Web storage holds nothing of ours (the runtime may keep its own entries): no JWT, nothing named token.
        var stored = await page.EvaluateAsync<string[]>(
            "() => [localStorage, sessionStorage].flatMap(s => Object.keys(s).map(k => k + '=' + s.getItem(k)))").WaitAsync(Step);
        output.WriteLine("web storage: " + string.Join(" | ", stored));
        Assert.DoesNotContain(stored, e => Regex.IsMatch(e, @"eyJ[\w-]+\.eyJ|token", RegexOptions.IgnoreCase));

        // Same origin with the cookie but without the antiforgery token: refused.
        var withoutAntiforgery = await page.EvaluateAsync<int>("async () => (await fetch('/dashboard/token', { method: 'POST' })).status").WaitAsync(Step);
        Assert.Equal(400, withoutAntiforgery);

        // Without the cookie: 401 with a code.
        using var response = await host.Http.PostAsync("/dashboard/token", null).WaitAsync(Step);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("\"code\":\"unauthenticated\"", await response.Content.ReadAsStringAsync().WaitAsync(Step), StringComparison.Ordinal);
    }
}
