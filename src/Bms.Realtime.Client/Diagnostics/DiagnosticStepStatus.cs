namespace Bms.Realtime.Client.Diagnostics;

/// <summary>The outcome of one diagnostics step.</summary>
public enum DiagnosticStepStatus
{
    /// <summary>The step worked.</summary>
    Passed = 0,

    /// <summary>The step failed; see <see cref="DiagnosticStep.Detail"/>.</summary>
    Failed = 1,

    /// <summary>Not run (an earlier step it depends on failed, or it was switched off).</summary>
    Skipped = 2,
}
