using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Bms.Testing;

/// <summary>
/// A throwaway <c>redis-server</c> (<c>BMS_REDIS_SERVER</c>, else from <c>PATH</c>) on a free loopback port, without
/// persistence. It can be stopped and started again on the same port (an outage) or frozen with SIGSTOP (a hang).
/// </summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    private ChildProcess? _process;

    private RedisServerProcess(int port)
    {
        Port = port;
    }

    /// <summary>The port it listens on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>The URL for Node's redis client.</summary>
    public string Url => $"redis://127.0.0.1:{Port}";

    /// <summary>The redis-server program, or null when it is not installed.</summary>
    public static string? Program => TestEnvironment.FindProgram("BMS_REDIS_SERVER", "redis-server", "/usr/bin/redis-server");

    /// <summary>True when redis-server is installed.</summary>
    public static bool IsInstalled => Program is not null;

    /// <summary>Starts a server on a free port and waits until it answers PING.</summary>
    public static async Task<RedisServerProcess> StartAsync()
    {
        var server = new RedisServerProcess(TestEnvironment.FreePort());
        await server.RestartAsync().WaitAsync(Waits.Step);
        return server;
    }

    /// <summary>Starts the server (again) on <see cref="Port"/> and waits until it answers PING.</summary>
    public async Task RestartAsync()
    {
        var path = Program ?? throw new InvalidOperationException("redis-server is not installed (apt-get install -y redis-server)");
        var process = ChildProcess.Start(path,
            ["--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no"]);
        _process = process;
        var deadline = DateTime.UtcNow + Waits.Step;
        while (!await PingAsync())
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with {process.ExitCode}: {process.Output}{process.Errors}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("redis-server did not answer PING");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Stops the process with SIGSTOP: its connections stay open but nothing is answered (a hung server, as in a
    /// stalled VM or a failover). <see cref="ResumeAsync"/> continues it.
    /// </summary>
    public Task PauseAsync() => (_process ?? throw new InvalidOperationException("redis-server is not running")).SignalAsync("STOP");

    /// <summary>Continues a process stopped by <see cref="PauseAsync"/> (SIGCONT).</summary>
    public Task ResumeAsync() => (_process ?? throw new InvalidOperationException("redis-server is not running")).SignalAsync("CONT");

    /// <summary>Kills the server (clients see their connections drop).</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            await process.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().WaitAsync(Waits.Step);

    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port).WaitAsync(TimeSpan.FromSeconds(2));
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray()).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or TimeoutException)
        {
            return false;
        }
    }
}
