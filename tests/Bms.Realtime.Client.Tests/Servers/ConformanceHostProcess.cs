namespace Bms.Realtime.Client.Tests.Servers;

/// <summary>
/// Our server as a separate process: <c>samples/Bms.Realtime.ConformanceHost</c> (<c>/</c> emits <c>auth</c> and acks
/// <c>message-with-ack</c>), so it can be frozen with SIGSTOP. It runs a 1 s heartbeat instead of the suites' 300/200 ms,
/// which a loaded machine misses often enough to drop connections the test needs up.
/// </summary>
public sealed class ConformanceHostProcess : ITestServer
{
    private ChildProcess? _process;
    private int _port;

    public static TimeSpan PingInterval => TimeSpan.FromMilliseconds(1000);

    public static TimeSpan PingTimeout => TimeSpan.FromMilliseconds(1000);

    public Uri Url => new($"http://127.0.0.1:{_port}");

    public bool CanFreeze => true;

    public static async Task<ConformanceHostProcess> LaunchAsync()
    {
        var server = new ConformanceHostProcess();
        await server.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return server;
    }

    public async Task StartAsync()
    {
        // The test project builds the host (ReferenceOutputAssembly=false) in the same configuration as the tests.
        var host = TestEnvironment.BuiltAssembly("samples/Bms.Realtime.ConformanceHost", "Bms.Realtime.ConformanceHost");
        var process = ChildProcess.Start("dotnet",
        [
            host, "--urls", $"http://127.0.0.1:{_port}",
            "--PingIntervalMs", $"{PingInterval.TotalMilliseconds}", "--PingTimeoutMs", $"{PingTimeout.TotalMilliseconds}",
        ]);
        try
        {
            while (true)
            {
                var line = await process.ReadLineAsync(TimeSpan.FromSeconds(60))
                    ?? throw new InvalidOperationException($"ConformanceHost exited before listening: {process.Errors}");
                const string Prefix = "Listening on ";
                if (line.StartsWith(Prefix, StringComparison.Ordinal))
                {
                    _port = new Uri(line[Prefix.Length..].Split(',')[0].Trim()).Port;
                    break;
                }
            }
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        _process = process;
    }

    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            await process.DisposeAsync();
        }
    }

    public Task FreezeAsync() => _process?.SignalAsync("STOP") ?? Task.CompletedTask;

    public Task ThawAsync() => _process?.SignalAsync("CONT") ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await ThawAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await StopAsync().WaitAsync(TimeSpan.FromSeconds(15));
    }
}
