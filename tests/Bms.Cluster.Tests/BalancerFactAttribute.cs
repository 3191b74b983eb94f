namespace Bms.Cluster.Tests;

/// <summary>
/// A fact that needs redis-server, PostgreSQL, nginx, node and interop/node_modules. Outside CI it is skipped with a
/// clear message when one is missing; with <c>CI=true</c> it always runs, so a missing one is a failure, never a skip.
/// </summary>
public sealed class BalancerFactAttribute : FactAttribute
{
    public BalancerFactAttribute()
    {
        if (!BalancedCluster.InCi && BalancedCluster.MissingPrerequisite is { } missing)
        {
            Skip = $"{missing} is not installed (scripts/test.sh installs it); these tests always run in CI.";
        }
    }
}
