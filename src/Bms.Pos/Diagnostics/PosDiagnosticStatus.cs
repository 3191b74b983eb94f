namespace Bms.Pos.Diagnostics;

/// <summary>The verdict of one self-test step (<see cref="PosDiagnosticStep"/>); camelCase in JSON.</summary>
public enum PosDiagnosticStatus
{
    /// <summary>The check ran and found nothing wrong.</summary>
    Passed = 0,

    /// <summary>The check ran and found something a support engineer should look at, but the till works.</summary>
    Warning = 1,

    /// <summary>The check failed; <see cref="PosDiagnosticStep.Detail"/> says why. The report's verdict is failed.</summary>
    Failed = 2,

    /// <summary>Not run because a step it needs failed (named in <see cref="PosDiagnosticStep.Detail"/>).</summary>
    Skipped = 3,
}
