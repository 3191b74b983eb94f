namespace Bms.Pos.Diagnostics;

/// <summary>Limits and thresholds of a POS self-test (<see cref="PosDiagnostics.RunAsync"/>).</summary>
public sealed class PosDiagnosticsOptions
{
    /// <summary>Longest time one network step may take before it fails with a timeout. Default 10 s.</summary>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Clock skew against the server above which <c>clock-skew</c> warns. Default 5 s (the server's token tolerance).</summary>
    public TimeSpan ClockSkewWarning { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Clock skew above which <c>clock-skew</c> fails (tokens and receipts' times become unreliable). Default 2 min.</summary>
    public TimeSpan ClockSkewFailure { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Age of the oldest pending sale above which <c>outbox</c> warns (sales are not reaching the server). Default 1 h.</summary>
    public TimeSpan PendingAgeWarning { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Throws when a value cannot work.</summary>
    /// <exception cref="ArgumentException">A non-positive duration, or a failure threshold below the warning one.</exception>
    public void Validate()
    {
        if (StepTimeout <= TimeSpan.Zero || ClockSkewWarning <= TimeSpan.Zero || ClockSkewFailure < ClockSkewWarning
            || PendingAgeWarning <= TimeSpan.Zero)
        {
            throw new ArgumentException("PosDiagnosticsOptions durations must be positive and ClockSkewFailure >= ClockSkewWarning.");
        }
    }
}
