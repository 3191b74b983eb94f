namespace Bms.Realtime.Server.Redis.Tests;

/// <summary>
/// A fact that needs <c>redis-server</c>. Outside CI it is skipped with a clear message when redis-server is missing;
/// with <c>CI=true</c> it always runs, so a missing server is a failure, never a skip.
/// </summary>
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!ci && !RedisServerProcess.IsInstalled)
        {
            Skip = "redis-server is not installed (apt-get install -y redis-server); these tests always run in CI.";
        }
    }
}
