using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Bms.Realtime.Client.Tests.Servers;

/// <summary>
/// Our server as a separate process: <c>samples/Bms.Realtime.ConformanceHost</c> (pingInterval 300 ms, pingTimeout
/// 200 ms; <c>/</c> emits <c>auth</c> and acks <c>message-with-ack</c>), so it can be frozen with SIGSTOP.
/// </summary>
public sealed class ConformanceHostProcess : ITestServer
{
    private readonly StringBuilder _log = new();
    private Process? _process;
    private int _port;

    public static TimeSpan PingInterval => TimeSpan.FromMilliseconds(300);

    public static TimeSpan PingTimeout => TimeSpan.FromMilliseconds(200);

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
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(HostAssembly());
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{_port.ToString(CultureInfo.InvariantCulture)}");
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        process.StandardInput.Close();
        _ = PumpAsync(process.StandardError);
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60))
                ?? throw new InvalidOperationException($"ConformanceHost exited before listening: {_log}");
            const string Prefix = "Listening on ";
            if (line.StartsWith(Prefix, StringComparison.Ordinal))
            {
                _port = new Uri(line[Prefix.Length..].Split(',')[0].Trim()).Port;
                break;
            }
        }

        _ = PumpAsync(process.StandardOutput);
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
        await ThawAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await StopAsync().WaitAsync(TimeSpan.FromSeconds(15));
    }

    private static string HostAssembly()
    {
        // The test project builds the host (ReferenceOutputAssembly=false); use the same configuration as the tests.
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BmsRealtime.slnx")))
            {
                var path = Path.Combine(dir.FullName, "samples", "Bms.Realtime.ConformanceHost", "bin", configuration, "net10.0", "Bms.Realtime.ConformanceHost.dll");
                return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: build the solution first.");
            }
        }

        throw new InvalidOperationException("Cannot find the repository root.");
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
