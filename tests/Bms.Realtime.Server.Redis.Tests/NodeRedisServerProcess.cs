using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Bms.Realtime.Server.Redis.Tests;

/// <summary>
/// interop/redis-node-server.mjs: the official socket.io 4.8 server with the official @socket.io/redis-adapter, as a
/// child process on 127.0.0.1.
/// </summary>
public sealed class NodeRedisServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private NodeRedisServerProcess(Process process)
    {
        _process = process;
    }

    public Uri Url { get; private set; } = null!;

    public string Uid { get; private set; } = string.Empty;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static string InteropDirectory
    {
        get
        {
            if (Environment.GetEnvironmentVariable("BMS_INTEROP_DIR") is { Length: > 0 } fromEnv && Directory.Exists(fromEnv))
            {
                return Path.GetFullPath(fromEnv);
            }

            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "BmsRealtime.slnx")))
                {
                    return Path.Combine(dir.FullName, "interop");
                }
            }

            throw new InvalidOperationException("Cannot find interop/: set BMS_INTEROP_DIR or run from inside the repository.");
        }
    }

    /// <summary>Starts the script; <paramref name="requestsTimeout"/> is the official adapter's <c>requestsTimeout</c> (default 5 s).</summary>
    public static async Task<NodeRedisServerProcess> StartAsync(RedisServerProcess redis, TimeSpan? requestsTimeout = null)
    {
        var interop = InteropDirectory;
        if (!File.Exists(Path.Combine(interop, "node_modules", "@socket.io", "redis-adapter", "package.json")))
        {
            using var npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund") { WorkingDirectory = interop, UseShellExecute = false })
                ?? throw new InvalidOperationException("npm did not start");
            await npm.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(4));
            if (npm.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm ci in {interop} failed with {npm.ExitCode}");
            }
        }

        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = interop,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("redis-node-server.mjs");
        info.Environment["PORT"] = "0";
        info.Environment["REDIS_URL"] = redis.Url;
        if (requestsTimeout is { } timeout)
        {
            info.Environment["REQUESTS_TIMEOUT"] = ((long)timeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("node did not start");
        process.StandardInput.Close();
        var server = new NodeRedisServerProcess(process);
        _ = server.PumpAsync(process.StandardError);
        var first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (first is null)
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            throw new InvalidOperationException($"redis-node-server.mjs exited before listening: {server.Log}");
        }

        var info2 = JsonDocument.Parse(first).RootElement;
        server.Url = new Uri($"http://127.0.0.1:{info2.GetProperty("port").GetInt32()}");
        server.Uid = info2.GetProperty("uid").GetString()!;
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        _process.Dispose();
    }

    private async Task PumpAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }
}
