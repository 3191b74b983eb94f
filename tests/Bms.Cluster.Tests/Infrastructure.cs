using System.Diagnostics;
using System.Text.Json;

namespace Bms.Cluster.Tests;

/// <summary>Paths and processes shared by the cluster tests.</summary>
internal static class Infrastructure
{
    public static readonly TimeSpan Wait = Waits.Step;

    public static bool PostgresInstalled =>
        Directory.Exists("/usr/lib/postgresql") && Directory.EnumerateDirectories("/usr/lib/postgresql").Any()
        || TestEnvironment.FindOnPath("pg_ctl") is not null
        || Environment.GetEnvironmentVariable("BMS_PG_BIN") is { Length: > 0 };

    /// <summary>Runs a command to completion and returns its stdout (throws with stderr on failure).</summary>
    public static async Task<string> RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed with {process.ExitCode}: {await stderr.WaitAsync(Wait)}");
        }

        return await stdout.WaitAsync(Wait);
    }
}

/// <summary>A throwaway PostgreSQL cluster from scripts/start-postgres.sh (the infra engineer's script).</summary>
internal sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string _dataDir;

    private PostgresCluster(string dataDir, string connectionString)
    {
        _dataDir = dataDir;
        ConnectionString = connectionString;
    }

    /// <summary>Connection string to the <c>postgres</c> database; tests append their own <c>Database=</c>.</summary>
    public string ConnectionString { get; }

    public static async Task<PostgresCluster> StartAsync()
    {
        var script = Path.Combine(TestEnvironment.RepositoryRoot, "scripts", "start-postgres.sh");
        var output = await Infrastructure.RunAsync("bash", script, "0").WaitAsync(TimeSpan.FromMinutes(3));
        var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;
        return new PostgresCluster(json.GetProperty("dataDir").GetString()!, json.GetProperty("connectionString").GetString()!);
    }

    public string Database(string name) => ConnectionString.Replace("Database=postgres", $"Database={name}", StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        var script = Path.Combine(TestEnvironment.RepositoryRoot, "scripts", "start-postgres.sh");
        await Infrastructure.RunAsync("bash", script, "--stop", _dataDir).WaitAsync(TimeSpan.FromMinutes(1));
    }
}
