using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Bms.Realtime.Server.Tests.Interop;

/// <summary>
/// The official Node socket.io 4.8 server (<c>interop/node-server.mjs</c>) as a child process on 127.0.0.1.
/// Used as the reference peer: a scenario that passes here and fails against our server points at our server.
/// </summary>
internal sealed class NodeServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();
    private readonly Task stderrPump;

    private NodeServerProcess(Process process, int port)
    {
        this.process = process;
        Port = port;
        stderrPump = PumpAsync(process.StandardError);
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}");

    public int ProcessId => process.Id;

    /// <summary>What the server wrote to stderr so far.</summary>
    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the server. <paramref name="port"/> 0 picks a free port; pass an earlier <see cref="Port"/> to restart
    /// on the same one. <paramref name="environment"/> adds e.g. <c>PING_INTERVAL</c>, <c>PING_TIMEOUT</c>, <c>REDIS_URL</c>.
    /// </summary>
    public static async Task<NodeServerProcess> StartAsync(int port = 0, IReadOnlyDictionary<string, string>? environment = null)
    {
        await InteropEnvironment.EnsureReadyAsync().WaitAsync(TimeSpan.FromMinutes(5));
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = InteropEnvironment.InteropDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("node-server.mjs");
        info.Environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("node did not start");
        process.StandardInput.Close();
        string? first;
        try
        {
            first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("node-server.mjs printed no port within 30 s");
        }

        if (first is null)
        {
            var error = await process.StandardError.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10));
            process.Dispose();
            throw new InvalidOperationException($"node-server.mjs exited before listening: {error}");
        }

        var bound = JsonDocument.Parse(first).RootElement.GetProperty("port").GetInt32();
        return new NodeServerProcess(process, bound);
    }

    /// <summary>Sends a POSIX signal (e.g. <c>STOP</c>, <c>CONT</c>, <c>TERM</c>) to the server process.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {process.Id}") { UseShellExecute = false })
            ?? throw new InvalidOperationException("kill did not start");
        await kill.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            await stderrPump.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
        }

        process.Dispose();
    }

    private async Task PumpAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            lock (log)
            {
                log.AppendLine(line);
            }
        }
    }
}
