using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Bms.Realtime.Server.Tests.Interop;

/// <summary>
/// One running <c>node interop/client-scenario.mjs &lt;scenario&gt;</c> process (the official socket.io-client 4.8).
/// Its stdout lines are parsed as they arrive, so a test can wait for a step (e.g. restart the server after
/// <c>connected</c>) before waiting for the end.
/// </summary>
internal sealed class NodeScenario : IAsyncDisposable
{
    private readonly Process process;
    private readonly List<JsonElement> steps = [];
    private readonly Channel<JsonElement> stepChannel = Channel.CreateUnbounded<JsonElement>();
    private readonly StringBuilder stderr = new();
    private readonly Task stdoutPump;
    private readonly Task stderrPump;
    private JsonElement? final;

    private NodeScenario(string scenario, Process process)
    {
        Scenario = scenario;
        this.process = process;
        stdoutPump = PumpStdoutAsync();
        stderrPump = PumpStderrAsync();
    }

    public string Scenario { get; }

    /// <summary>
    /// Starts a scenario against <paramref name="url"/>. <paramref name="timeout"/> is passed to the script as
    /// <c>--timeout</c> (it bounds every wait inside it); extra arguments follow as <c>--name value</c> pairs.
    /// </summary>
    public static async Task<NodeScenario> StartAsync(string scenario, Uri url, TimeSpan timeout, params string[] extraArguments)
    {
        await InteropEnvironment.EnsureReadyAsync().WaitAsync(TimeSpan.FromMinutes(5));
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = InteropEnvironment.InteropDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add("client-scenario.mjs");
        info.ArgumentList.Add(scenario);
        info.ArgumentList.Add("--url");
        info.ArgumentList.Add(url.GetLeftPart(UriPartial.Authority));
        info.ArgumentList.Add("--timeout");
        info.ArgumentList.Add(((int)timeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var argument in extraArguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("node did not start");
        process.StandardInput.Close();
        return new NodeScenario(scenario, process);
    }

    /// <summary>Runs a scenario to its end and returns what it printed.</summary>
    public static async Task<ScenarioResult> RunAsync(string scenario, Uri url, TimeSpan timeout, params string[] extraArguments)
    {
        await using var run = await StartAsync(scenario, url, timeout, extraArguments).WaitAsync(TimeSpan.FromMinutes(5));
        return await run.WaitForExitAsync(timeout + TimeSpan.FromSeconds(15)).WaitAsync(timeout + TimeSpan.FromSeconds(20));
    }

    /// <summary>Waits until the scenario prints a line with <c>"step":"<paramref name="step"/>"</c> and returns it.</summary>
    public async Task<JsonElement> WaitForStepAsync(string step, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await stepChannel.Reader.WaitToReadAsync(cts.Token).ConfigureAwait(false))
            {
                while (stepChannel.Reader.TryRead(out var line))
                {
                    if (line.TryGetProperty("step", out var name) && name.GetString() == step)
                    {
                        return line;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        throw new Xunit.Sdk.XunitException($"scenario {Scenario} did not print step \"{step}\" within {timeout}.\n{Snapshot()}");
    }

    /// <summary>Waits for the process to exit (killing it after <paramref name="timeout"/>) and returns the result.</summary>
    public async Task<ScenarioResult> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            Kill();
        }

        await Task.WhenAll(stdoutPump, stderrPump).WaitAsync(TimeSpan.FromSeconds(10));
        return Snapshot();
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            await Task.WhenAll(stdoutPump, stderrPump).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
        }

        process.Dispose();
    }

    private ScenarioResult Snapshot()
    {
        lock (steps)
        {
            int? exit = process.HasExited ? process.ExitCode : null;
            return new ScenarioResult(Scenario, steps.ToArray(), final, exit, stderr.ToString());
        }
    }

    private void Kill()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    private async Task PumpStdoutAsync()
    {
        while (await process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0 || line[0] != '{')
            {
                lock (steps)
                {
                    stderr.Append("[stdout] ").AppendLine(line);
                }

                continue;
            }

            JsonElement element;
            try
            {
                element = JsonDocument.Parse(line).RootElement.Clone();
            }
            catch (JsonException)
            {
                lock (steps)
                {
                    stderr.Append("[stdout] ").AppendLine(line);
                }

                continue;
            }

            lock (steps)
            {
                if (element.TryGetProperty("done", out _))
                {
                    final = element;
                }
                else
                {
                    steps.Add(element);
                }
            }

            stepChannel.Writer.TryWrite(element);
        }

        stepChannel.Writer.TryComplete();
    }

    private async Task PumpStderrAsync()
    {
        while (await process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            lock (steps)
            {
                stderr.AppendLine(line);
            }
        }
    }
}
