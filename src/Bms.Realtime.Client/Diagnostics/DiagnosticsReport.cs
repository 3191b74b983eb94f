using System.Globalization;
using System.Text;

namespace Bms.Realtime.Client.Diagnostics;

/// <summary>The result of <see cref="WebSocketDiagnostics.RunAsync"/>: every step with its outcome and timing.</summary>
public sealed record DiagnosticsReport
{
    /// <summary>The server URL that was checked.</summary>
    public required Uri Url { get; init; }

    /// <summary>When the run started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Total duration.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>The steps, in execution order.</summary>
    public required IReadOnlyList<DiagnosticStep> Steps { get; init; }

    /// <summary>The client's statistics at the end of the run.</summary>
    public ConnectionStatistics? Statistics { get; init; }

    /// <summary>True when no step failed (skipped steps do not count).</summary>
    public bool Succeeded => Steps.All(s => s.Status != DiagnosticStepStatus.Failed);

    /// <summary>The step named <paramref name="name"/>, or null.</summary>
    public DiagnosticStep? this[string name] => Steps.FirstOrDefault(s => s.Name == name);

    /// <summary>A plain-text table, as printed by the diagnostics tool.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Real-time diagnostics for {Url} at {StartedAt:u}").AppendLine();
        foreach (var step in Steps)
        {
            var mark = step.Status switch
            {
                DiagnosticStepStatus.Passed => "PASS",
                DiagnosticStepStatus.Failed => "FAIL",
                _ => "SKIP",
            };
            text.Append(CultureInfo.InvariantCulture, $"  [{mark}] {step.Name,-18} {step.Duration.TotalMilliseconds,8:0.0} ms  {step.Detail}").AppendLine();
        }

        if (Statistics is { } stats)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"  health {stats.Health}, transport {stats.Transport?.ToString() ?? "-"}, latency {stats.Latency?.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) ?? "-"} ms, ")
                .Append(CultureInfo.InvariantCulture, $"packets in/out {stats.PacketsReceived}/{stats.PacketsSent}, bytes in/out {stats.BytesReceived}/{stats.BytesSent}, reconnects {stats.ReconnectCount}")
                .AppendLine();
        }

        text.Append(Succeeded ? "Result: OK" : "Result: FAILED")
            .Append(CultureInfo.InvariantCulture, $" ({Steps.Count(s => s.Status == DiagnosticStepStatus.Passed)} passed, {Steps.Count(s => s.Status == DiagnosticStepStatus.Failed)} failed, {Steps.Count(s => s.Status == DiagnosticStepStatus.Skipped)} skipped, {Duration.TotalSeconds:0.0} s)");
        return text.ToString();
    }
}
