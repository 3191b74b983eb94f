using System.Diagnostics;
using System.Text.Json;
using Bms.Realtime.Client.Tests.Servers;

namespace Bms.Realtime.Client.Tests;

/// <summary>The <c>bms-realtime-diag</c> tool (System.CommandLine), run as the real process.</summary>
public sealed class DiagnosticsToolTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private static readonly string[] Options =
    [
        "--url", "--token", "--namespace", "--room", "--ack-event", "--binary-event", "--transports", "--timeout",
        "--no-heartbeat", "--no-reconnect", "--json", "--debug",
    ];

    [Fact]
    public async Task HelpListsEveryOptionWithADescriptionAndExitsZero()
    {
        var (exitCode, stdout, stderr) = await RunAsync("--help").WaitAsync(Wait);

        Assert.True(exitCode == 0, stderr);
        var lines = stdout.Split('\n');
        foreach (var option in Options)
        {
            Assert.Contains(lines, l => l.TrimStart().StartsWith(option + " ", StringComparison.Ordinal) && l.Trim().Length > option.Length + 10);
        }

        Assert.Contains(lines, l => l.Contains(", --help ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--bogus", "--bogus")]
    [InlineData("--transports carrier-pigeon", "--transports takes websocket and/or polling")]
    [InlineData("--timeout 0", "--timeout needs a positive number of seconds")]
    [InlineData("--url not-a-url", "--url needs an absolute URL")]
    public async Task AnUnknownOptionOrABadValueIsAUsageErrorWithExitCode2AndTheHelpOnStderr(string args, string message)
    {
        var (exitCode, stdout, stderr) = await RunAsync(args.Split(' ')).WaitAsync(Wait);

        Assert.True(exitCode == 2, $"exit {exitCode}\n{stdout}\n{stderr}");
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Contains("--binary-event <NAME>", stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout.Trim());
    }

    [Fact]
    public async Task TheToolChecksALiveServerAndPrintsTheReportAsJson()
    {
        await using var server = await RealtimeTestServer.StartAsync().WaitAsync(Wait);

        var (exitCode, stdout, stderr) = await RunAsync(
            "--url", server.Url.ToString(), "--namespace", "/main", "--room", "store:1", "--transports", "polling,websocket",
            "--timeout", "20", "--no-heartbeat", "--json").WaitAsync(Wait);

        Assert.True(exitCode == 0, $"exit {exitCode}\n{stdout}\n{stderr}");
        using var report = JsonDocument.Parse(stdout);
        var steps = report.RootElement.GetProperty("steps").EnumerateArray().ToList();
        Assert.Contains(steps, s => s.GetProperty("name").GetString() == "reconnect");
        Assert.DoesNotContain(steps, s => s.GetProperty("name").GetString() == "heartbeat" && s.GetProperty("status").GetString() != "Skipped");
        Assert.All(steps, s => Assert.Contains(s.GetProperty("status").GetString(), new[] { "Passed", "Skipped" }));
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(ToolAssembly());
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(Wait);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout.WaitAsync(Wait), await stderr.WaitAsync(Wait));
    }

    private static string ToolAssembly()
    {
        // The test project builds the tool (ReferenceOutputAssembly=false); use the same configuration as the tests.
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BmsRealtime.slnx")))
            {
                var path = Path.Combine(dir.FullName, "tools", "Bms.Realtime.Diagnostics", "bin", configuration, "net10.0", "bms-realtime-diag.dll");
                return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: build the solution first.");
            }
        }

        throw new InvalidOperationException("Cannot find the repository root.");
    }
}
