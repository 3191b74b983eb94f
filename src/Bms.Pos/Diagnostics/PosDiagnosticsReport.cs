namespace Bms.Pos.Diagnostics;

/// <summary>
/// The result of a POS self-test: every step in order, and the overall verdict (<see cref="Passed"/> is false when any
/// step <see cref="PosDiagnosticStatus.Failed"/>; warnings do not fail it). Serializes to camelCase JSON with
/// <see cref="PosJson.Options"/>.
/// </summary>
/// <param name="Passed">True when no step failed.</param>
/// <param name="Server">The server URL tested.</param>
/// <param name="TerminalId">The terminal tested (from the options or the data file), or null when unknown.</param>
/// <param name="DataPath">The full path of the local data file.</param>
/// <param name="StartedAt">When the self-test started (UTC, local clock).</param>
/// <param name="DurationMs">Total duration in milliseconds.</param>
/// <param name="Steps">The steps in the order they ran.</param>
public sealed record PosDiagnosticsReport(
    bool Passed,
    Uri Server,
    string? TerminalId,
    string DataPath,
    DateTime StartedAt,
    double DurationMs,
    IReadOnlyList<PosDiagnosticStep> Steps)
{
    /// <summary>The first failed step, or null when the self-test passed.</summary>
    public PosDiagnosticStep? FirstFailure => Steps.FirstOrDefault(s => s.Status == PosDiagnosticStatus.Failed);
}
