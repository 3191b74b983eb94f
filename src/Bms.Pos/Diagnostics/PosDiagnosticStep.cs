namespace Bms.Pos.Diagnostics;

/// <summary>One step of a POS self-test (<see cref="PosDiagnostics.RunAsync"/>) with its verdict and timing.</summary>
/// <param name="Name">The step's stable name, e.g. <c>server-reachable</c> (see <see cref="PosDiagnostics.StepNames"/>).</param>
/// <param name="Status">The verdict.</param>
/// <param name="DurationMs">How long the step took, in milliseconds (0 when skipped).</param>
/// <param name="Detail">A one-line human explanation: what was checked, or why it failed or was skipped.</param>
/// <param name="Data">Measured values (latency, counts, skew, ages); empty when none.</param>
public sealed record PosDiagnosticStep(
    string Name, PosDiagnosticStatus Status, double DurationMs, string Detail, IReadOnlyDictionary<string, object?> Data);
