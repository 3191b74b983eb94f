using System.Text.Json;
using Bms.Pos.Diagnostics;
using Bms.Pos.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Bms.Pos.Tests;

/// <summary>The POS self-test against the real backend, in process and through the terminal's <c>--self-test</c>.</summary>
public sealed class PosDiagnosticsTests
{
    private static readonly string[] AllSteps =
    [
        "server-reachable", "sign-in", "socket-connect", "room-joins", "ack-round-trip", "sync-dry-run", "catalog-pull",
        "data-file", "clock-skew", "outbox",
    ];

    [Fact]
    public async Task SelfTestAgainstALiveServerPassesEveryStepAndReportsThePendingSales()
    {
        await using var bed = PosTestBed.Create();
        await bed.Server.StartServerAsync();
        await bed.FirstStartAsync();
        using var sell = await TerminalProcess.RunAsync(bed.Args(null, "--sell", "COF-002:1", "--count", "3"));
        sell.AssertSucceeded();
        var outboxBefore = await OutboxRowsAsync(bed);

        var report = await PosDiagnostics.RunAsync(Options(bed)).WaitAsync(TestTimeouts.Step);

        Assert.True(report.Passed, Describe(report));
        Assert.Equal(AllSteps, report.Steps.Select(s => s.Name));
        Assert.All(report.Steps, s => Assert.True(s.Status == PosDiagnosticStatus.Passed, $"{s.Name}: {s.Status} {s.Detail}"));
        Assert.Equal(PosTestBed.TerminalId, report.TerminalId);
        Assert.Equal(3L, Step(report, "outbox").Data["pending"]);
        Assert.NotNull(Step(report, "outbox").Data["oldestPendingAgeSeconds"]);
        Assert.Equal("ok", Step(report, "room-joins").Data["store:1"]);
        Assert.Equal("ok", Step(report, "room-joins").Data[$"terminal:{PosTestBed.TerminalId}"]);
        Assert.Equal("ping", Step(report, "clock-skew").Data["source"]);
        Assert.True(Step(report, "catalog-pull").Data["products"] is int products && products > 0);
        Assert.All(report.Steps.Where(s => s.Name != "clock-skew"), s => Assert.True(s.DurationMs > 0, $"{s.Name} has no timing"));

        // The self-test changed nothing: the outbox is as it was and no sale reached the server.
        Assert.Equal(outboxBefore, await OutboxRowsAsync(bed));
        Assert.Empty(await bed.Server.TransactionsOfAsync(PosTestBed.TerminalId));
    }

    [Fact]
    public async Task SelfTestWithAWrongSecretFailsAtSignInAndSaysWhy()
    {
        await using var bed = PosTestBed.Create();
        await bed.Server.StartServerAsync();
        await bed.FirstStartAsync();
        var options = Options(bed);
        options.Secret = "not-the-secret";

        var report = await PosDiagnostics.RunAsync(options).WaitAsync(TestTimeouts.Step);

        Assert.False(report.Passed);
        Assert.Equal("sign-in", report.FirstFailure?.Name);
        Assert.Contains("401", report.FirstFailure!.Detail, StringComparison.Ordinal);
        Assert.Equal(PosDiagnosticStatus.Passed, Step(report, "server-reachable").Status);
        Assert.Equal(PosDiagnosticStatus.Skipped, Step(report, "socket-connect").Status);
        Assert.Contains("sign-in", Step(report, "socket-connect").Detail, StringComparison.Ordinal);
        Assert.Equal(PosDiagnosticStatus.Passed, Step(report, "data-file").Status);
    }

    [Fact]
    public async Task TerminalSelfTestWithJsonAgainstALiveServerExitsZero()
    {
        await using var bed = PosTestBed.Create();
        await bed.Server.StartServerAsync();
        await bed.FirstStartAsync();

        using var test = await TerminalProcess.RunAsync(bed.Args(null, "--self-test", "--json"));

        test.AssertSucceeded();
        var report = test.Events.Single();
        Assert.True(report.GetProperty("passed").GetBoolean(), report.GetRawText());
        Assert.Equal(AllSteps, report.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.All(report.GetProperty("steps").EnumerateArray(), s => Assert.Equal("passed", s.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task TerminalSelfTestWithTheServerDownExitsOneNamesTheFailedStepAndLeavesTheOutboxAlone()
    {
        await using var bed = PosTestBed.Create();
        await bed.Server.StartServerAsync();
        await bed.FirstStartAsync();
        await bed.Server.StopServerAsync();
        using var sell = await TerminalProcess.RunAsync(bed.Args(null, "--sell", "TEA-001:1", "--count", "5"));
        sell.AssertSucceeded();
        var outboxBefore = await OutboxRowsAsync(bed);
        var fileBefore = await File.ReadAllBytesAsync(bed.DataPath).WaitAsync(TestTimeouts.Short);

        using var test = await TerminalProcess.RunAsync(bed.Args(null, "--self-test", "--json"));

        Assert.Equal(1, test.ExitCode);
        var report = test.Events.Single();
        Assert.False(report.GetProperty("passed").GetBoolean());
        var steps = report.GetProperty("steps").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        Assert.Equal(AllSteps, steps.Keys);
        var reachable = steps["server-reachable"];
        Assert.Equal("failed", reachable.GetProperty("status").GetString());
        Assert.Contains("refused", reachable.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        foreach (var dependent in new[] { "sign-in", "socket-connect", "room-joins", "ack-round-trip", "sync-dry-run", "catalog-pull", "clock-skew" })
        {
            Assert.Equal("skipped", steps[dependent].GetProperty("status").GetString());
        }

        Assert.Equal("passed", steps["data-file"].GetProperty("status").GetString());
        Assert.Equal(5, steps["outbox"].GetProperty("data").GetProperty("pending").GetInt32());

        // Not one byte of the data file changed, so the outbox is untouched.
        Assert.Equal(outboxBefore, await OutboxRowsAsync(bed));
        Assert.Equal(fileBefore, await File.ReadAllBytesAsync(bed.DataPath).WaitAsync(TestTimeouts.Short));

        using var text = await TerminalProcess.RunAsync(bed.Args(null, "--self-test"));
        Assert.Equal(1, text.ExitCode);
    }

    private static PosOptions Options(PosTestBed bed) => new()
    {
        ServerUrl = bed.Server.Url,
        TerminalId = PosTestBed.TerminalId,
        Secret = PosTestBed.Secret,
        DataPath = bed.DataPath,
    };

    private static PosDiagnosticStep Step(PosDiagnosticsReport report, string name) => report.Steps.Single(s => s.Name == name);

    private static string Describe(PosDiagnosticsReport report) => JsonSerializer.Serialize(report, PosJson.Options);

    private static async Task<List<string>> OutboxRowsAsync(PosTestBed bed)
    {
        await using var connection = new SqliteConnection($"Data Source={bed.DataPath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync().WaitAsync(TestTimeouts.Short);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, id, state, attempts, IFNULL(last_error, ''), IFNULL(last_attempt_at, '') FROM outbox ORDER BY seq";
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync().WaitAsync(TestTimeouts.Short);
        while (await reader.ReadAsync().WaitAsync(TestTimeouts.Short))
        {
            rows.Add($"{reader.GetInt64(0)}|{reader.GetString(1)}|{reader.GetInt64(2)}|{reader.GetInt64(3)}|{reader.GetString(4)}|{reader.GetString(5)}");
        }

        return rows;
    }
}
