namespace Bms.Server.Tests.Infrastructure;

/// <summary>
/// A fact that needs nginx. Outside CI it is skipped with a clear message when nginx is missing; with <c>CI=true</c>
/// it always runs, so a missing nginx is a failure, never a skip.
/// </summary>
public sealed class NginxFactAttribute : FactAttribute
{
    public NginxFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CI") != "true" && NginxProcess.Executable is null)
        {
            Skip = "nginx is not installed (scripts/test.sh installs it); this test always runs in CI.";
        }
    }
}
