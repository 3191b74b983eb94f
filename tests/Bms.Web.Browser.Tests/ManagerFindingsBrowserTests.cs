using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Bms.Web.Browser.Tests;

/// <summary>What a shop manager ran into when trying the dashboard, each checked on a real server and browser.</summary>
public sealed class ManagerFindingsBrowserTests(ITestOutputHelper output) : DashboardBrowserTest
{
    // Every table sits inside its card: it fits, or its wrapper scrolls sideways; the page itself never does.
    private const string TablesFitScript = """
        () => ({
            page: document.documentElement.scrollWidth <= window.innerWidth + 1,
            tables: [...document.querySelectorAll('.bms-table-wrap')].map(w => {
                const card = w.closest('.bms-card').getBoundingClientRect();
                const box = w.getBoundingClientRect();
                const overflow = getComputedStyle(w).overflowX;
                return box.left >= card.left - 1 && box.right <= card.right + 1
                    && (w.scrollWidth <= w.clientWidth + 1 || overflow === 'auto' || overflow === 'scroll');
            }),
        })
        """;

    [ChromiumFact]
    public async Task AnUnknownPageShowsTheAppsNotFoundPageWhileApiPathsKeepProblemDetails()
    {
        using var page = await host.Http.GetAsync("/nowhere").WaitAsync(Step);
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("data-testid=\"not-found\"", await page.Content.ReadAsStringAsync().WaitAsync(Step), StringComparison.Ordinal);

        using var api = await host.Http.GetAsync("/api/nowhere").WaitAsync(Step);
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
    }

    [ChromiumFact]
    public async Task AnEmptySignInFormSaysWhichFieldsAreMissing()
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = host.BaseAddress.ToString() }).WaitAsync(Step);
        var page = await context.NewPageAsync().WaitAsync(Step);
        await page.GotoAsync("/signin").WaitAsync(Step);

        await page.ClickAsync("[data-testid=signin-submit]").WaitAsync(Step);

        await Expect(page.Locator("[data-testid=username-error]")).ToHaveTextAsync("Enter your username.").WaitAsync(Step);
        await Expect(page.Locator("[data-testid=password-error]")).ToHaveTextAsync("Enter your password.").WaitAsync(Step);
        await DashboardPages.ScreenshotAsync(page, output, "signin-empty").WaitAsync(Step);
    }

    [ChromiumFact]
    public async Task TheAdminFormOffersExactlyTheSeveritiesTheApiTakesAndTablesFitAtPhoneTabletAndLaptopWidths()
    {
        var page = await DashboardPages.SignInAsync(browser, host, output, "admin").WaitAsync(Step);
        await Expect(page.Locator("[data-testid=product-row]").First).ToBeVisibleAsync().WaitAsync(Step);
        await CheckTablesFitAsync(page, "dashboard").WaitAsync(Step);

        await page.Locator("[data-testid=nav-admin]").ClickAsync().WaitAsync(Step);
        await Expect(page.Locator("[data-testid=connected-row]").First).ToBeVisibleAsync().WaitAsync(Step);
        var severities = await page.Locator("[data-testid=notification-severity] option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)").WaitAsync(Step);
        Assert.Equal(["info", "success", "warning", "error"], severities);
        await CheckTablesFitAsync(page, "admin").WaitAsync(Step);

        // Every offered severity is accepted by the API.
        await page.FillAsync("[data-testid=notification-title]", "Till 3 closed").WaitAsync(Step);
        await page.FillAsync("[data-testid=notification-message]", "Use till 2.").WaitAsync(Step);
        await page.SelectOptionAsync("[data-testid=notification-severity]", "error").WaitAsync(Step);
        await page.ClickAsync("[data-testid=notification-send]").WaitAsync(Step);
        await Expect(page.Locator("[data-testid=notification-result]")).ToHaveTextAsync(new Regex("^Sent")).WaitAsync(Step);
    }

    [ChromiumFact]
    public async Task TheAdminFormShowsTheApisReasonWhenASendIsRefused()
    {
        var page = await DashboardPages.SignInAsync(browser, host, output, "admin").WaitAsync(Step);
        await page.Locator("[data-testid=nav-admin]").ClickAsync().WaitAsync(Step);
        await Expect(page.Locator("[data-testid=notification-send]")).ToBeVisibleAsync().WaitAsync(Step);

        // The real server answers the send as it would a manager's: the request goes out with a manager's token.
        var manager = await host.TokenAsync("manager").WaitAsync(Step);
        await page.RouteAsync("**/api/notifications", async route =>
        {
            var headers = new Dictionary<string, string>(route.Request.Headers) { ["authorization"] = $"Bearer {manager}" };
            await route.ContinueAsync(new RouteContinueOptions { Headers = headers });
        }).WaitAsync(Step);
        await page.FillAsync("[data-testid=notification-title]", "Till 3 closed").WaitAsync(Step);
        await page.FillAsync("[data-testid=notification-message]", "Use till 2.").WaitAsync(Step);
        await page.ClickAsync("[data-testid=notification-send]").WaitAsync(Step);

        await Expect(page.Locator("[data-testid=notification-result]")).ToHaveTextAsync("Not sent: This needs the role admin.").WaitAsync(Step);
        await DashboardPages.ScreenshotAsync(page, output, "admin-send-refused").WaitAsync(Step);
    }

    [ChromiumFact]
    public async Task TimesAreInTheViewersTimeZoneAndAmountsInTheStoresCurrencyFormattedForTheBrowsersCulture()
    {
        var page = await DashboardPages.SignInAsync(browser, host, output, "manager", configure: o =>
        {
            o.Locale = "de-DE";
            o.TimezoneId = "Asia/Kathmandu";
        }).WaitAsync(Step);
        var token = await host.TokenAsync("manager").WaitAsync(Step);
        var (status, sale, _) = await host.SendAsync(HttpMethod.Post, "/api/transactions", token,
            new { storeId = 1, lines = new[] { new { productId = 1, quantity = 2 } } }).WaitAsync(Step);
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("EUR", sale.GetProperty("currency").GetString());

        // 2 × 18.90 EUR in German: comma decimals, the euro sign after the amount. The page is reloaded so the sale is
        // in the loaded list even if it was committed while the page was still joining its store room.
        await page.ReloadAsync().WaitAsync(Step);
        var total = page.Locator($"[data-testid=transaction][data-id='{sale.GetProperty("id").GetString()}'] [data-testid=transaction-total]");
        await Expect(total).ToHaveTextAsync(new Regex(@"^37,80\s€$"), new() { Timeout = DashboardPages.AppStartTimeout }).WaitAsync(Step);

        // "Last update" is a Kathmandu wall-clock time (UTC+05:45), without "UTC".
        var lastUpdate = await page.Locator("[data-testid=feed-last-update]").TextContentAsync().WaitAsync(Step) ?? "";
        Assert.DoesNotContain("UTC", lastUpdate, StringComparison.Ordinal);
        var shown = TimeSpan.Parse(Regex.Match(lastUpdate, @"\d{2}:\d{2}:\d{2}").Value, System.Globalization.CultureInfo.InvariantCulture);
        var kathmandu = DateTimeOffset.UtcNow.ToOffset(new TimeSpan(5, 45, 0)).TimeOfDay;
        var difference = Math.Abs((kathmandu - shown).TotalMinutes);
        Assert.True(Math.Min(difference, 1440 - difference) < 5, $"'{lastUpdate}' is not Kathmandu time ({kathmandu:hh\\:mm\\:ss})");

        // The catalogue shows prices the same way.
        await page.GotoAsync("/pos").WaitAsync(Step);
        await Expect(page.Locator("[data-testid=price-1]")).ToHaveTextAsync(new Regex(@"^18,90\s€$"), new() { Timeout = DashboardPages.AppStartTimeout }).WaitAsync(Step);
        await DashboardPages.ScreenshotAsync(page, output, "pos-de-DE-kathmandu").WaitAsync(Step);
    }

    [ChromiumFact]
    public async Task DisablingTheUserWhileTheDashboardIsOpenSignsThemOutWithAMessage()
    {
        var page = await DashboardPages.SignInAsync(browser, host, output, "manager").WaitAsync(Step);
        var admin = await host.TokenAsync("admin").WaitAsync(Step);
        var (users, list, _) = await host.SendAsync(HttpMethod.Get, "/api/users", admin).WaitAsync(Step);
        Assert.Equal(HttpStatusCode.OK, users);
        var managerId = list.EnumerateArray().Single(u => u.GetProperty("username").GetString() == "manager").GetProperty("id").GetInt32();

        // The server drops the user's socket; the reconnect's CONNECT is refused (AuthenticationFailed): back to sign-in.
        var (disabled, _, _) = await host.SendAsync(HttpMethod.Put, $"/api/users/{managerId}", admin, new { isActive = false }).WaitAsync(Step);
        Assert.Equal(HttpStatusCode.OK, disabled);

        await Expect(page).ToHaveURLAsync(new Regex("/signin\\?reason=refused"), new() { Timeout = DashboardPages.AppStartTimeout }).WaitAsync(Step);
        await Expect(page.Locator("[data-testid=signin-reason]")).ToHaveTextAsync("The server no longer accepts your session. Please sign in again.").WaitAsync(Step);
        await DashboardPages.ScreenshotAsync(page, output, "signed-out-refused").WaitAsync(Step);
    }

    [ChromiumFact]
    public async Task ARefusedReconnectSignsTheUserOutWithAMessage()
    {
        await using var own = await Dashboard.StartAsync().WaitAsync(Step);
        var page = await DashboardPages.SignInAsync(browser, own, output, "manager").WaitAsync(Step);

        // While the server is down the user is disabled; the reconnect's CONNECT (with the token the page holds) is
        // refused: AuthenticationFailed.
        await own.StopServerAsync().WaitAsync(Step);
        await Expect(page.Locator("[data-testid=ws-status]")).ToHaveAttributeAsync("data-state", "Reconnecting").WaitAsync(Step);
        await own.DisableUserInDatabaseAsync("manager").WaitAsync(Step);
        await own.StartServerAsync().WaitAsync(Step);

        await Expect(page).ToHaveURLAsync(new Regex("/signin\\?reason=refused"), new() { Timeout = DashboardPages.AppStartTimeout }).WaitAsync(Step);
        await Expect(page.Locator("[data-testid=signin-reason]")).ToHaveTextAsync("The server no longer accepts your session. Please sign in again.").WaitAsync(Step);
    }

    private async Task CheckTablesFitAsync(IPage page, string name)
    {
        foreach (var (width, height) in new[] { (390, 844), (768, 1024), (1366, 900) })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.WaitForTimeoutAsync(200);
            var result = await page.EvaluateAsync<TablesFit>(TablesFitScript);
            await DashboardPages.ScreenshotAsync(page, output, $"{name}-{width}");
            Assert.True(result.Page, $"{name} scrolls sideways at {width} px");
            Assert.All(result.Tables, fits => Assert.True(fits, $"a table of {name} is cut off at {width} px"));
        }
    }

    private sealed class TablesFit
    {
        public bool Page { get; set; }

        public bool[] Tables { get; set; } = [];
    }
}
