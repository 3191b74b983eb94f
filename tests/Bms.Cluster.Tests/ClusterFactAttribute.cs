namespace Bms.Cluster.Tests;

/// <summary>
/// A fact that needs redis-server and PostgreSQL. Outside CI it is skipped with a clear message when either is missing;
/// with <c>CI=true</c> it always runs, so a missing service is a failure, never a skip.
/// </summary>
public sealed class ClusterFactAttribute : FactAttribute
{
    public ClusterFactAttribute()
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!ci && (TestEnvironment.FindOnPath("redis-server") is null || !Infrastructure.PostgresInstalled))
        {
            Skip = "redis-server or PostgreSQL is not installed (scripts/test.sh installs them); these tests always run in CI.";
        }
    }
}
