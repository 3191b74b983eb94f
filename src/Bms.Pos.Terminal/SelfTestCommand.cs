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
    private const string SelfTest = "--self-test";
    private const string Json = "--json";

    public const string Usage = """
        Bms.Pos.Terminal --self-test [--json] --server URL --terminal ID --secret SECRET --data PATH

        Checks, with timings and a verdict per step: server reachable, sign-in, /pos connect, room joins, ack round
        trip, sync endpoint dry run, catalogue pull, data file integrity and schema, clock skew, pending outbox.
        Changes nothing. Exit code 0 when no step failed, else 1. --json prints the report as one JSON document.
        """;

    /// <summary>True when the command line asks for the self-test.</summary>
    public static bool IsRequested(string[] args) => args.Contains(SelfTest, StringComparer.Ordinal);

    public static async Task<int> RunAsync(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        var json = args.Contains(Json, StringComparer.Ordinal);
        var rest = args.Where(a => a is not (SelfTest or Json)).ToArray();
        PosOptions options;
        try
        {
            var arguments = TerminalArguments.Parse(rest);
            if (arguments.Help || arguments.IsBatch)
            {
                Console.Error.WriteLine(Usage);
                return arguments.Help ? 0 : 64;
            }

            options = new PosOptions();
            arguments.Configure(options);
            options.Validate();
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(Usage);
            return 64;
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

        if (json)
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
