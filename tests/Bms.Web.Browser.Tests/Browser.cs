using Microsoft.Playwright;

namespace Bms.Web.Browser.Tests;

/// <summary>Launches Debian's Chromium through Playwright (no browser download: the machine is offline).</summary>
public static class Browser
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>BMS_CHROMIUM</c>, else <c>/usr/bin/chromium</c>, when the file exists.</summary>
    public static string? ExecutablePath =>
        new[] { Environment.GetEnvironmentVariable("BMS_CHROMIUM"), "/usr/bin/chromium" }.FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var path = ExecutablePath ?? throw new InvalidOperationException("Chromium is required (CI=true): apt-get install -y chromium, or set BMS_CHROMIUM.");
        var playwright = await Playwright.CreateAsync().WaitAsync(BmsServerHost.Timeout);
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = path,
                Headless = true,
                Args =
                [
                    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run",
                ],
            }).WaitAsync(BmsServerHost.Timeout);
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>Where screenshots go: <c>$BMS_TEST_RESULTS/screenshots</c>, else the repository's test results, else <c>TestResults/screenshots</c>.</summary>
    public static string ScreenshotDirectory
    {
        get
        {
            var root = Environment.GetEnvironmentVariable("BMS_TEST_RESULTS");
            if (string.IsNullOrEmpty(root))
            {
                var repo = Environment.GetEnvironmentVariable("BMS_REPO_ROOT");
                root = string.IsNullOrEmpty(repo) ? Path.Combine(AppContext.BaseDirectory, "TestResults") : Path.Combine(repo, "artifacts", "test-results");
            }

            var directory = Path.Combine(root, "screenshots");
            Directory.CreateDirectory(directory);
            return directory;
        }
    }
}
