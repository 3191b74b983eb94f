using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Bms.Cluster.Tests;

/// <summary>Paths and processes shared by the cluster tests.</summary>
internal static class Infrastructure
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "BmsRealtime.slnx")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("Run the tests from inside the repository.");
        }
    }

    public static bool PostgresInstalled =>
        Directory.Exists("/usr/lib/postgresql") && Directory.EnumerateDirectories("/usr/lib/postgresql").Any()
        || FindOnPath("pg_ctl") is not null
        || Environment.GetEnvironmentVariable("BMS_PG_BIN") is { Length: > 0 };

    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

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
        var script = Path.Combine(Infrastructure.RepositoryRoot, "scripts", "start-postgres.sh");
        var output = await Infrastructure.RunAsync("bash", script, "0").WaitAsync(TimeSpan.FromMinutes(3));
        var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;
        return new PostgresCluster(json.GetProperty("dataDir").GetString()!, json.GetProperty("connectionString").GetString()!);
    }

    public string Database(string name) => ConnectionString.Replace("Database=postgres", $"Database={name}", StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        var script = Path.Combine(Infrastructure.RepositoryRoot, "scripts", "start-postgres.sh");
        await Infrastructure.RunAsync("bash", script, "--stop", _dataDir).WaitAsync(TimeSpan.FromMinutes(1));
    }
}

/// <summary>A throwaway redis-server on a free loopback port.</summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly Process _process;

    private RedisServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var port = Infrastructure.FreePort();
        var path = Environment.GetEnvironmentVariable("BMS_REDIS_SERVER") is { Length: > 0 } fromEnv ? fromEnv
            : Infrastructure.FindOnPath("redis-server") ?? throw new InvalidOperationException("redis-server is not installed");
        var info = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start");
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(2));
                await client.GetStream().WriteAsync("PING\r\n"u8.ToArray()).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
                var buffer = new byte[16];
                var read = await client.GetStream().ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
                if (Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal))
                {
                    return new RedisServer(process, port);
                }
            }
            catch (Exception ex) when (ex is SocketException or IOException or TimeoutException)
            {
            }

            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("redis-server did not answer PING");
            }

            await Task.Delay(50).WaitAsync(Infrastructure.Wait);
        }
    }

    /// <summary>Stops the process with SIGSTOP: connections stay open, nothing is answered (a hung Redis).</summary>
    public Task PauseAsync() => Infrastructure.RunAsync("kill", "-STOP", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Continues the process after <see cref="PauseAsync"/> (SIGCONT).</summary>
    public Task ResumeAsync() => Infrastructure.RunAsync("kill", "-CONT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        _process.Dispose();
    }
}
