using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Bms.Web.Browser.Tests;

/// <summary>What the browser tests do on the dashboard's pages: sign in, take screenshots.</summary>
public static class DashboardPages
{
    /// <summary>The default wait of an expectation.</summary>
    public const float ExpectTimeout = 20_000;

    /// <summary>The first load downloads and starts the WebAssembly app: slow on a loaded machine.</summary>
    public const float AppStartTimeout = 90_000;

    /// <summary>
    /// Opens a new context (<paramref name="configure"/> may set its locale, time zone...), signs in as
    /// <paramref name="username"/> and waits for a live connection.
    /// </summary>
    public static async Task<IPage> SignInAsync(
        IBrowser browser, BmsServerHost host, ITestOutputHelper output, string username, int width = 1366, int height = 900,
        Action<BrowserNewContextOptions>? configure = null)
    {
        var options = new BrowserNewContextOptions
        {
            BaseURL = host.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        };
        configure?.Invoke(options);
        var context = await browser.NewContextAsync(options);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(ExpectTimeout);
        page.Console += (_, message) => output.WriteLine($"[browser {message.Type}] {message.Text}");
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/signin"));
        await page.FillAsync("[data-testid=username]", username);
        await page.FillAsync("[data-testid=password]", $"{username}123!");
        await page.ClickAsync("[data-testid=signin-submit]");
        await Expect(page.Locator("[data-testid=ws-status]")).ToHaveAttributeAsync("data-state", "Connected", new() { Timeout = AppStartTimeout });
        return page;
    }

    /// <summary>Saves a full-page screenshot under <see cref="Browser.ScreenshotDirectory"/>.</summary>
    public static async Task ScreenshotAsync(IPage page, ITestOutputHelper output, string name)
    {
        var path = Path.Combine(Browser.ScreenshotDirectory, $"{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }
}
