namespace Bms.Testing;

/// <summary>
/// The timeouts tests put on their awaits. Generous on purpose: the tests share a loaded machine, and a timeout only
/// decides how long a broken test takes to fail, never whether a working one passes.
/// </summary>
public static class Waits
{
    /// <summary>One step that should take milliseconds: a packet, an acknowledgement, an HTTP call (10 s).</summary>
    public static readonly TimeSpan Short = TimeSpan.FromSeconds(10);

    /// <summary>One step that starts something: a host, a connection with retries, a child process (30 s).</summary>
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    /// <summary>A whole scenario or a package install (5 min).</summary>
    public static readonly TimeSpan Long = TimeSpan.FromMinutes(5);
}
