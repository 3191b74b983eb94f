using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Bms.Web.Browser.Tests;

/// <summary>
/// The setup every browser test class shares: Chromium (through Playwright) and, unless <see cref="StartsHost"/> is
/// false, the real backend with the dashboard (<see cref="Dashboard.StartAsync"/>), one of each per test.
/// </summary>
public abstract class DashboardBrowserTest : IAsyncLifetime
{
    /// <summary>The time any one step of a browser test may take (starting the app is slow on a loaded machine).</summary>
    protected static readonly TimeSpan Step = TimeSpan.FromSeconds(120);

    private IPlaywright? _playwright;

    /// <summary>The backend with the dashboard (null when <see cref="StartsHost"/> is false).</summary>
    protected BmsServerHost host = null!;

    /// <summary>The Chromium instance of this test.</summary>
    protected IBrowser browser = null!;

    /// <summary>False for tests that start (and stop) their own backends.</summary>
    protected virtual bool StartsHost => true;

    public virtual async Task InitializeAsync()
    {
        if (StartsHost)
        {
            host = await Dashboard.StartAsync().WaitAsync(Step);
        }

        (_playwright, browser) = await Browser.LaunchAsync().WaitAsync(Step);
        SetDefaultExpectTimeout(DashboardPages.ExpectTimeout);
    }

    public virtual async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.CloseAsync().WaitAsync(Step);
        }

        _playwright?.Dispose();
        if (host is not null)
        {
            await host.DisposeAsync().AsTask().WaitAsync(Step);
        }
    }
}
