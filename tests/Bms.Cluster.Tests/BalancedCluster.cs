namespace Bms.Cluster.Tests;

/// <summary>
/// Two <c>Bms.Server</c> nodes on one redis-server and one PostgreSQL database, shared by the tests of a class; each
/// test puts its own nginx in front of them.
/// </summary>
public sealed class BalancedCluster : IAsyncLifetime
{
    private readonly ClusterServices _services = new();
    private ServerNode? _a;
    private ServerNode? _b;
    private bool _disposed;

    internal static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The first prerequisite that is not installed, or null.</summary>
    internal static string? MissingPrerequisite =>
        TestEnvironment.FindOnPath("redis-server") is null && Environment.GetEnvironmentVariable("BMS_REDIS_SERVER") is not { Length: > 0 } ? "redis-server"
        : !Infrastructure.PostgresInstalled ? "PostgreSQL"
        : NginxProcess.Executable is null ? "nginx"
        : TestEnvironment.FindOnPath("node") is null ? "node"
        : BalancedClients.InteropDirectory is null ? "interop/node_modules (npm ci)"
        : null;

    internal ServerNode A => _a ?? throw new InvalidOperationException("not started");

    internal ServerNode B => _b ?? throw new InvalidOperationException("not started");

    /// <summary>The nodes' addresses in the order they go into the upstream block.</summary>
    internal IReadOnlyList<Uri> Nodes => [A.Url, B.Url];

    internal string AdminToken { get; private set; } = string.Empty;

    internal string CashierToken { get; private set; } = string.Empty;

    /// <summary>A product of store 1 with enough stock for a few one-item sales.</summary>
    internal int ProductId { get; private set; }

    /// <summary>The node whose <c>127.0.0.1:port</c> is <paramref name="upstream"/>, as nginx logs it.</summary>
    internal ServerNode NodeAt(string upstream) =>
        upstream == A.Url.Authority ? A : upstream == B.Url.Authority ? B : throw new InvalidOperationException($"{upstream} is not a node");

    public async Task InitializeAsync()
    {
        if (!InCi && MissingPrerequisite is not null)
        {
            return;
        }

        try
        {
            await _services.InitializeAsync();
            var database = _services.NewDatabase();
            _a = await ServerNode.StartAsync("A", database, _services.Redis.Configuration).WaitAsync(TimeSpan.FromMinutes(2));
            _b = await ServerNode.StartAsync("B", database, _services.Redis.Configuration).WaitAsync(TimeSpan.FromMinutes(2));
            AdminToken = await A.LoginAsync("admin", "admin123!");
            CashierToken = await A.LoginAsync("cashier", "cashier123!");
            ProductId = (await B.GetAsync("/api/products", CashierToken)).EnumerateArray()
                .First(p => p.GetProperty("storeId").GetInt32() == 1 && p.GetProperty("quantity").GetInt32() > 10).GetProperty("id").GetInt32();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var node in new[] { _b, _a })
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
        }

        await _services.DisposeAsync();
    }
}
