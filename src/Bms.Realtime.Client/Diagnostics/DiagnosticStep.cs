namespace Bms.Realtime.Client.Diagnostics;

/// <summary>One step of a <see cref="DiagnosticsReport"/>.</summary>
/// <param name="Name">What was checked (<c>connect</c>, <c>authenticate</c>, <c>join room</c>...).</param>
/// <param name="Status">The outcome.</param>
/// <param name="Duration">How long the step took.</param>
/// <param name="Detail">What was observed, or why it failed.</param>
public sealed record DiagnosticStep(string Name, DiagnosticStepStatus Status, TimeSpan Duration, string Detail);
