using Bms.Pos.Sync;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bms.Pos.Diagnostics;

/// <summary>
/// The POS self-test: checks, step by step with timings and a verdict per step, everything a till needs — the server
/// answers (<c>/health/live</c>), the terminal can sign in, <c>/pos</c> connects, the <c>store:</c> and
/// <c>terminal:</c> rooms join, an ack comes back, the sync endpoint accepts an empty batch, the catalogue can be
/// pulled, the local data file passes <c>PRAGMA integrity_check</c> and has the expected schema, the clock agrees with
/// the server's, and how many sales wait in the outbox and for how long.
/// </summary>
/// <remarks>
/// The self-test changes nothing: it signs in without storing the token, keeps the pulled catalogue in memory, sends
/// an empty sync batch, and opens the data file read-only, so the outbox and the cached identity stay as they were
/// (it can run beside a running till). A step that needs a failed one is <see cref="PosDiagnosticStatus.Skipped"/>
/// and names it; local steps (data file, outbox) run even when the server is down. Thread-safe (no shared state).
/// </remarks>
/// <example>
/// <code>
/// var report = await PosDiagnostics.RunAsync(new PosOptions
/// {
///     ServerUrl = new Uri("http://127.0.0.1:3001"), TerminalId = "POS-001", Secret = "pos-secret-001", DataPath = "pos-001.db",
/// });
/// foreach (var step in report.Steps) Console.WriteLine($"{step.Status,-8} {step.Name,-18} {step.DurationMs,6:0} ms  {step.Detail}");
/// return report.Passed ? 0 : 1;
/// </code>
/// </example>
public static partial class PosDiagnostics
{
    /// <summary>The step names, in the order the steps run.</summary>
    public static class StepNames
    {
        /// <summary><c>GET /health/live</c> answers 200.</summary>
        public const string ServerReachable = "server-reachable";

        /// <summary><c>POST /api/auth/terminal</c> with the secret (or the cached token when no secret is given).</summary>
        public const string SignIn = "sign-in";

        /// <summary>The <c>/pos</c> namespace connects with the token.</summary>
        public const string SocketConnect = "socket-connect";

        /// <summary><c>store:{id}</c> and <c>terminal:{id}</c> are joined.</summary>
        public const string RoomJoins = "room-joins";

        /// <summary><c>ping</c> with an ack; measures the round trip.</summary>
        public const string AckRoundTrip = "ack-round-trip";

        /// <summary><c>POST /api/pos/sync</c> with an empty batch.</summary>
        public const string SyncDryRun = "sync-dry-run";

        /// <summary><c>GET /api/pos/catalog</c>, kept in memory.</summary>
        public const string CatalogPull = "catalog-pull";

        /// <summary><c>PRAGMA integrity_check</c> and the schema of the local data file.</summary>
        public const string DataFile = "data-file";

        /// <summary>The local clock against the server's (ping ack time, else the HTTP <c>Date</c> header).</summary>
        public const string ClockSkew = "clock-skew";

        /// <summary>Pending and rejected sales and the oldest pending sale's age.</summary>
        public const string Outbox = "outbox";
    }

    /// <summary>Runs every step and returns the report; never throws for a failed check (only for bad arguments or cancellation).</summary>
    /// <param name="options">The terminal's options (server URL, terminal id, secret, data file); validated.</param>
    /// <param name="diagnosticsOptions">Timeouts and thresholds; defaults when null.</param>
    /// <param name="loggerFactory">Logging of the self-test's own socket client; none when null.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="cancellationToken">Cancels the self-test.</param>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    public static async Task<PosDiagnosticsReport> RunAsync(
        PosOptions options,
        PosDiagnosticsOptions? diagnosticsOptions = null,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        diagnosticsOptions ??= new PosDiagnosticsOptions();
        diagnosticsOptions.Validate();
        var run = new DiagnosticsRun(options, diagnosticsOptions, loggerFactory ?? NullLoggerFactory.Instance,
            timeProvider ?? TimeProvider.System);
        return await run.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A step's outcome before timing is attached.</summary>
    private sealed record Outcome(PosDiagnosticStatus Status, string Detail, Dictionary<string, object?>? Data = null)
    {
        public static Outcome Pass(string detail, Dictionary<string, object?>? data = null) => new(PosDiagnosticStatus.Passed, detail, data);

        public static Outcome Warn(string detail, Dictionary<string, object?>? data = null) => new(PosDiagnosticStatus.Warning, detail, data);

        public static Outcome Fail(string detail, Dictionary<string, object?>? data = null) => new(PosDiagnosticStatus.Failed, detail, data);
    }

    /// <summary>Describes an exception from a network step in one line (the reason a support engineer needs).</summary>
    private static string Describe(Exception ex) => ex switch
    {
        HttpRequestException { InnerException: { } inner } http => $"{http.Message} ({inner.Message})",
        PosApiException api => api.Code is { } code ? $"{api.Message} [{code}]" : api.Message,
        TimeoutException => $"timed out: {ex.Message}",
        _ => ex.Message,
    };

    private static double Milliseconds(long startedTimestamp, TimeProvider time) =>
        Math.Round(time.GetElapsedTime(startedTimestamp).TotalMilliseconds, 1);

    private static bool IsExpected(Exception ex, CancellationToken cancellationToken) =>
        ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested;
}
