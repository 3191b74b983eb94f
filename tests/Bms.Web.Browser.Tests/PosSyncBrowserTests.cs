using System.Text.RegularExpressions;
using Bms.Pos;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Bms.Web.Browser.Tests;

/// <summary>"Sync now" on the POS page with a real terminal (<see cref="PosWebSocketService"/>) connected to the server.</summary>
public sealed class PosSyncBrowserTests(ITestOutputHelper output) : DashboardBrowserTest
{
    // Records every text the sync message shows, however briefly (the terminal may answer within milliseconds).
    private const string RecordMessagesScript = """
        () => {
            window.__posMessages = [];
            const record = () => document.querySelectorAll('[data-testid=pos-message]').forEach(m => {
                if (window.__posMessages.at(-1) !== m.textContent) window.__posMessages.push(m.textContent);
            });
            new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true });
        }
        """;

    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "bms-browser-pos", Guid.NewGuid().ToString("N"));

    public override async Task InitializeAsync()
    {
        Directory.CreateDirectory(dataDirectory);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    [ChromiumFact]
    public async Task TheSyncRequestMessageClearsWhenTheTerminalReportsAndTheDetailsShowItsLatency()
    {
        await using var pos = PosWebSocketService.Create(new PosOptions
        {
            ServerUrl = host.BaseAddress,
            TerminalId = "POS-001",
            Secret = "pos-secret-001",
            DataPath = Path.Combine(dataDirectory, "pos-001.db"),
            SyncInterval = TimeSpan.FromMinutes(30), // only "Sync now" makes it sync during the test
        });
        Assert.True(await pos.StartAsync().WaitAsync(Step));
        await Waits.UntilAsync(() => pos.Status is { IsOnline: true, IsSyncing: false, LastSync: not null }, "the terminal did not report a finished sync", Step);
        var firstSync = pos.Status.LastSync!.Value;

        var page = await DashboardPages.SignInAsync(browser, host, output, "manager").WaitAsync(Step);
        await page.GotoAsync("/pos").WaitAsync(Step);
        var terminal = page.Locator("[data-terminal-id='POS-001']");
        await Expect(terminal.Locator("[data-testid=terminal-connection]")).ToHaveTextAsync("Online", new() { Timeout = DashboardPages.AppStartTimeout }).WaitAsync(Step);
        await page.EvaluateAsync(RecordMessagesScript).WaitAsync(Step);

        await terminal.Locator("[data-testid=terminal-sync-now]").ClickAsync().WaitAsync(Step);

        // The terminal syncs and reports; its report clears the message. The terminal may finish before the page
        // has the answer to its own request, so wait for the message to have shown before waiting for it to clear.
        await Waits.UntilAsync(() => pos.Status.LastSync > firstSync, "the requested sync did not run", Step);
        await Waits.UntilAsync(
            async () => (await page.EvaluateAsync<string[]>("() => window.__posMessages")).Contains("Sync requested from POS-001."),
            "the sync request message never showed",
            Step);
        await Expect(page.Locator("[data-testid=pos-message]")).ToHaveCountAsync(0).WaitAsync(Step);
        var shown = await page.EvaluateAsync<string[]>("() => window.__posMessages").WaitAsync(Step);
        Assert.DoesNotContain(shown, m => m.StartsWith("No answer", StringComparison.Ordinal));

        await page.Locator("[data-testid=pos-details]").ClickAsync().WaitAsync(Step);
        await Expect(page.Locator("[data-terminal-id='POS-001'] [data-testid=panel-latency]")).ToHaveTextAsync(new Regex(@"^\d+ ms$")).WaitAsync(Step);
        await DashboardPages.ScreenshotAsync(page, output, "pos-panel-latency").WaitAsync(Step);
    }
}
