namespace Bms.Pos.Tests.Infrastructure;

internal static class TestTimeouts
{
    /// <summary>Ceiling for one await in a test (server start, one terminal process run).</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(90);

    /// <summary>Ceiling for short awaits (HTTP calls, polling loops).</summary>
    public static readonly TimeSpan Short = TimeSpan.FromSeconds(30);
}
