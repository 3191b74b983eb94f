namespace Bms.Cluster.Tests;

/// <summary>One redis-server and one PostgreSQL cluster shared by the tests of a class; each test uses its own database.</summary>
public sealed class ClusterServices : IAsyncLifetime
{
    private RedisServerProcess? _redis;
    private PostgresCluster? _postgres;

    internal RedisServerProcess Redis => _redis ?? throw new InvalidOperationException("not started");

    internal PostgresCluster Postgres => _postgres ?? throw new InvalidOperationException("not started");

    /// <summary>A new, empty database on the shared cluster (created by the first node's migrations).</summary>
    internal string NewDatabase() => Postgres.Database("bms_" + Guid.NewGuid().ToString("N")[..12]);

    public async Task InitializeAsync()
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!ci && (TestEnvironment.FindOnPath("redis-server") is null || !Infrastructure.PostgresInstalled))
        {
            return;
        }

        _redis = await RedisServerProcess.StartAsync().WaitAsync(Infrastructure.Wait);
        _postgres = await PostgresCluster.StartAsync().WaitAsync(TimeSpan.FromMinutes(3));
    }

    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync().AsTask().WaitAsync(Infrastructure.Wait);
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1));
        }
    }
}
