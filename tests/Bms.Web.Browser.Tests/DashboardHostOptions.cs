namespace Bms.Web.Browser.Tests;

/// <summary>How a test's <see cref="DashboardHost"/> differs from the defaults.</summary>
public sealed record DashboardHostOptions
{
    /// <summary>The server's Engine.IO ping interval and timeout (a faster heartbeat); null keeps 25 s / 20 s.</summary>
    public TimeSpan? PingInterval { get; init; }
}
