using System.Globalization;
using System.Text.Json;
using Bms.Pos.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bms.Pos.Terminal;

/// <summary>
/// <c>--self-test [--json]</c>: runs <see cref="PosDiagnostics.RunAsync"/> with the terminal's usual options
/// (<c>--server</c>, <c>--terminal</c>, <c>--secret</c>, <c>--data</c>) and prints one line per step, or the whole
/// report as one JSON document with <c>--json</c>. Exit code 0 when no step failed, 1 otherwise, 64 for bad arguments.
/// Changes nothing in the data file.
/// </summary>
internal static class SelfTestCommand
{
    public static async Task<int> RunAsync(TerminalArguments arguments)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        var options = new PosOptions();
        arguments.Configure(options);
        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return TerminalArguments.UsageExitCode;
        }

        PosDiagnosticsReport report;
        try
        {
            report = await PosDiagnostics.RunAsync(options, loggerFactory: NullLoggerFactory.Instance, cancellationToken: cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return 130;
        }

        if (arguments.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(report, PosJson.Options));
        }
        else
        {
            WriteText(report);
        }

        Console.Out.Flush();
        return report.Passed ? 0 : 1;
    }

    private static void WriteText(PosDiagnosticsReport report)
    {
        Console.Out.WriteLine($"Self-test of {report.TerminalId ?? "(unknown terminal)"} against {report.Server} ({report.DataPath})");
        foreach (var step in report.Steps)
        {
            var verdict = step.Status switch
            {
                PosDiagnosticStatus.Passed => "PASS",
                PosDiagnosticStatus.Warning => "WARN",
                PosDiagnosticStatus.Failed => "FAIL",
                _ => "SKIP",
            };
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{verdict}  {step.Name,-17} {step.DurationMs,8:0.0} ms  {step.Detail}"));
        }

        Console.Out.WriteLine(report.FirstFailure is { } failure
            ? $"Verdict: FAILED at {failure.Name}: {failure.Detail}"
            : string.Create(CultureInfo.InvariantCulture, $"Verdict: PASSED in {report.DurationMs:0} ms"));
    }
}
