using Bms.Pos.Tests.Infrastructure;

namespace Bms.Pos.Tests;

/// <summary>The terminal program's command line (System.CommandLine), run as the real process.</summary>
public sealed class TerminalCommandLineTests
{
    private static readonly string[] Options =
    [
        "--server", "--terminal", "--secret", "--data", "--sell", "--count", "--sync-once", "--sync-timeout", "--status",
        "--list-rejected", "--retry", "--discard", "--batch-size", "--retry-delay-ms", "--retry-delay-max-ms",
        "--request-timeout-ms", "--lease-seconds", "--verbose", "--self-test", "--json", "--help",
    ];

    [Fact]
    public async Task HelpListsEveryOptionWithADescriptionAndExitsZero()
    {
        using var help = await TerminalProcess.RunAsync("--help").WaitAsync(TestTimeouts.Step);

        Assert.True(help.ExitCode == 0, help.StandardError);
        var lines = help.StandardOutput.Split('\n');
        foreach (var option in Options)
        {
            // "  --count <N>   Scripted: ring up N sales ..." : the option, then its description on the same line.
            Assert.Contains(lines, l => l.TrimStart().StartsWith(option + " ", StringComparison.Ordinal) && l.Trim().Length > option.Length + 10
                || l.Contains(", " + option + " ", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("--bogus", "--bogus")]
    [InlineData("--count 0 --sell COF-001", "--count needs a positive number, not '0'")]
    [InlineData("--sell COF-001:x", "--sell needs SKU or SKU:QTY")]
    [InlineData("--retry not-a-guid", "not-a-guid")]
    [InlineData("--server", "--server")]
    [InlineData("--json", "--json goes with --self-test")]
    [InlineData("--self-test --status", "--self-test does not combine")]
    public async Task AnUnknownOptionOrABadValueIsAUsageErrorWithExitCode64AndTheHelpOnStderr(string args, string message)
    {
        using var run = await TerminalProcess.RunAsync(args.Split(' ')).WaitAsync(TestTimeouts.Step);

        Assert.True(run.ExitCode == 64, $"exit {run.ExitCode}\n{run.StandardOutput}\n{run.StandardError}");
        Assert.Contains(message, run.StandardError, StringComparison.Ordinal);
        Assert.Contains("--sync-timeout <SECONDS>", run.StandardError, StringComparison.Ordinal);
        Assert.Empty(run.Events);
    }
}
