namespace Bms.Web.Browser.Tests;

/// <summary>
/// A fact that drives Debian's Chromium. Outside CI it is skipped with a clear message when Chromium is missing; with
/// <c>CI=true</c> it always runs, so a missing browser is a failure, never a skip.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Browser.ExecutablePath is null && !Browser.IsCi)
        {
            Skip = "Chromium is not installed (apt-get install -y chromium); these tests always run in CI.";
        }
    }
}
