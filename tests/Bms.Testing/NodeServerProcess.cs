using System.Text.Json;

namespace Bms.Testing;

/// <summary>
/// A Node socket.io 4.8 server from <c>interop/</c> as a child process on 127.0.0.1: <c>node-server.mjs</c> (the
/// reference server, its event contract in interop/README.md) or <c>redis-node-server.mjs</c> (with the official
/// @socket.io/redis-adapter). It can be frozen (SIGSTOP), stopped and started again on the same port.
/// </summary>
public sealed class NodeServerProcess : IAsyncDisposable
{
    private readonly string _script;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private ChildProcess? _process;
    private string _previousLogs = string.Empty;

    private NodeServerProcess(string script, IReadOnlyDictionary<string, string> environment)
    {
        _script = script;
        _environment = environment;
    }

    /// <summary>The port (kept across restarts).</summary>
    public int Port { get; private set; }

    /// <summary><c>http://127.0.0.1:port</c>.</summary>
    public Uri Url => new($"http://127.0.0.1:{Port}");

    /// <summary>The JSON line the script printed when it started listening (<c>port</c>, and <c>uid</c> for the Redis server).</summary>
    public JsonElement Listening { get; private set; }

    /// <summary>What the server wrote to stderr so far (all runs).</summary>
    public string Log => _previousLogs + (_process?.Errors ?? string.Empty);

    /// <summary>
    /// Starts <paramref name="script"/> (default <c>node-server.mjs</c>); <paramref name="port"/> 0 picks a free port.
    /// <paramref name="environment"/> adds e.g. <c>PING_INTERVAL</c>, <c>PING_TIMEOUT</c>, <c>REDIS_URL</c>.
    /// </summary>
    public static async Task<NodeServerProcess> StartAsync(int port = 0, IReadOnlyDictionary<string, string>? environment = null, string script = "node-server.mjs")
    {
        var server = new NodeServerProcess(script, environment ?? new Dictionary<string, string>()) { Port = port };
        await server.StartAgainAsync().WaitAsync(Waits.Long);
        return server;
    }

    /// <summary>Starts the server again on the same port (after <see cref="StopAsync"/>); no-op while it runs.</summary>
    public async Task StartAgainAsync()
    {
        if (_process is not null)
        {
            return;
        }

        var (process, listening) = await NodePeer.StartServerAsync(_script, Port, _environment);
        Listening = listening;
        Port = listening.GetProperty("port").GetInt32();
        _process = process;
    }

    /// <summary>Kills the server: connections drop without Socket.IO DISCONNECT packets.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            await process.DisposeAsync();
            _previousLogs += process.Errors;
        }
    }

    /// <summary>Freezes the process (SIGSTOP): TCP stays open, nothing is answered.</summary>
    public Task FreezeAsync() => _process?.SignalAsync("STOP") ?? Task.CompletedTask;

    /// <summary>Resumes a frozen process (SIGCONT).</summary>
    public Task ThawAsync() => _process?.SignalAsync("CONT") ?? Task.CompletedTask;

    /// <summary>Sends a POSIX signal (e.g. <c>STOP</c>, <c>CONT</c>, <c>TERM</c>) to the server process.</summary>
    public Task SignalAsync(string signal) => _process?.SignalAsync(signal) ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ThawAsync().WaitAsync(Waits.Short);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
        }

        await StopAsync().WaitAsync(Waits.Step);
    }
}
