using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Bms.Realtime.Client.Tests.Servers;

/// <summary>
/// The official Node socket.io 4.8 server, <c>interop/node-server.mjs</c>, as a child process on 127.0.0.1
/// (its event contract is documented in interop/README.md).
/// </summary>
public sealed class NodeTestServer : ITestServer
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private static bool installed;
    private readonly TestServerOptions _options;
    private readonly StringBuilder _log = new();
    private Process? _process;
    private int _port;

    private NodeTestServer(TestServerOptions options)
    {
        _options = options;
    }

    public Uri Url => new($"http://127.0.0.1:{_port}");

    public bool CanFreeze => true;

    /// <summary>What the server wrote to stderr.</summary>
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

    /// <summary>Absolute path of <c>interop/</c>: <c>BMS_INTEROP_DIR</c>, else found from the repository root.</summary>
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

    public static async Task<NodeTestServer> StartAsync(TestServerOptions? options = null)
    {
        var server = new NodeTestServer(options ?? new TestServerOptions());
        await server.StartAsync().WaitAsync(TimeSpan.FromMinutes(5));
        return server;
    }

    public async Task StartAsync()
    {
        await EnsureInstalledAsync().WaitAsync(TimeSpan.FromMinutes(5));
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = InteropDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("node-server.mjs");
        info.Environment["PORT"] = _port.ToString(CultureInfo.InvariantCulture);
        if (_options.PingInterval is { } interval)
        {
            info.Environment["PING_INTERVAL"] = ((int)interval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        }

        if (_options.PingTimeout is { } timeout)
        {
            info.Environment["PING_TIMEOUT"] = ((int)timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("node did not start");
        process.StandardInput.Close();
        _ = PumpAsync(process.StandardError);
        var first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (first is null)
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            throw new InvalidOperationException($"node-server.mjs exited before listening: {Log}");
        }

        _port = JsonDocument.Parse(first).RootElement.GetProperty("port").GetInt32();
        _process = process;
    }

    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        process.Dispose();
    }

    public Task FreezeAsync() => SignalAsync("STOP");

    public Task ThawAsync() => SignalAsync("CONT");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ThawAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
        }

        await StopAsync().WaitAsync(TimeSpan.FromSeconds(15));
    }

    private async Task SignalAsync(string signal)
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {process.Id}") { UseShellExecute = false })
            ?? throw new InvalidOperationException("kill did not start");
        await kill.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static async Task EnsureInstalledAsync()
    {
        if (installed)
        {
            return;
        }

        await InstallLock.WaitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        try
        {
            if (!File.Exists(Path.Combine(InteropDirectory, "node_modules", "socket.io", "package.json")))
            {
                using var npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund")
                {
                    WorkingDirectory = InteropDirectory,
                    UseShellExecute = false,
                }) ?? throw new InvalidOperationException("npm did not start");
                await npm.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(4));
                if (npm.ExitCode != 0)
                {
                    throw new InvalidOperationException($"npm ci in {InteropDirectory} failed with {npm.ExitCode}");
                }
            }

            installed = true;
        }
        finally
        {
            InstallLock.Release();
        }
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
