using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Bms.Web.Browser.Tests;

/// <summary>What a shop manager ran into when trying the dashboard, each checked on a real server and browser.</summary>
public sealed class ManagerFindingsBrowserTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(120);

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

    private BmsServerHost host = null!;
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    public async Task InitializeAsync()
    {
        host = await Dashboard.StartAsync().WaitAsync(Step);
        (playwright, browser) = await Browser.LaunchAsync().WaitAsync(Step);
        SetDefaultExpectTimeout(DashboardPages.ExpectTimeout);
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.CloseAsync().WaitAsync(Step);
        }

        playwright?.Dispose();
        if (host is not null)
        {
            await host.DisposeAsync().AsTask().WaitAsync(Step);
        }
    }

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
