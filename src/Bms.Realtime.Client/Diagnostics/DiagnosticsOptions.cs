namespace Bms.Realtime.Client.Diagnostics;

/// <summary>What <see cref="WebSocketDiagnostics.RunAsync"/> checks and how.</summary>
public sealed class DiagnosticsOptions
{
    /// <summary>The namespace to authenticate on. Default <c>/main</c>.</summary>
    public string Namespace { get; set; } = "/main";

    /// <summary>The room to join and leave; null skips both steps. Default <c>product:1</c> (open to any signed-in user on the BMS backend).</summary>
    public string? Room { get; set; } = "product:1";

    /// <summary>An event the server acknowledges with its first argument; null skips the step. Default <c>echo</c>.</summary>
    public string? AckEvent { get; set; } = "echo";

    /// <summary>An event the server acknowledges with the binary it received; null skips the step. Default <c>echo-binary</c>.</summary>
    public string? BinaryEvent { get; set; } = "echo-binary";

    /// <summary>Whether to wait for a server heartbeat (up to pingInterval + pingTimeout). Default true.</summary>
    public bool CheckHeartbeat { get; set; } = true;

    /// <summary>Whether to force a reconnect and check that the namespace comes back. Default true.</summary>
    public bool CheckReconnect { get; set; } = true;

    /// <summary>Time limit of each step (the heartbeat step uses the server's heartbeat instead). Default 10 s.</summary>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
