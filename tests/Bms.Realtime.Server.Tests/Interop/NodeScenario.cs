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
    private readonly ChildProcess process;
    private readonly List<JsonElement> steps = [];
    private readonly Channel<JsonElement> stepChannel = Channel.CreateUnbounded<JsonElement>();
    private readonly StringBuilder stdoutNoise = new();
    private readonly Task stdoutPump;
    private JsonElement? final;

    private NodeScenario(string scenario, ChildProcess process)
    {
        Scenario = scenario;
        this.process = process;
        stdoutPump = PumpStdoutAsync();
    }

    public string Scenario { get; }

    /// <summary>
    /// Starts a scenario against <paramref name="url"/>. <paramref name="timeout"/> is passed to the script as
    /// <c>--timeout</c> (it bounds every wait inside it); extra arguments follow as <c>--name value</c> pairs.
    /// </summary>
    public static async Task<NodeScenario> StartAsync(string scenario, Uri url, TimeSpan timeout, params string[] extraArguments)
    {
        var process = await NodePeer.StartAsync(
            "client-scenario.mjs",
            [scenario, "--url", url.GetLeftPart(UriPartial.Authority), "--timeout", NodePeer.Milliseconds(timeout), .. extraArguments]);
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
        await process.WaitForExitAsync(timeout);
        await stdoutPump.WaitAsync(TimeSpan.FromSeconds(10));
        return Snapshot();
    }

    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync();
        try
        {
            await stdoutPump.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
        }
    }

    private ScenarioResult Snapshot()
    {
        lock (steps)
        {
            int? exit = process.HasExited ? process.ExitCode : null;
            return new ScenarioResult(Scenario, steps.ToArray(), final, exit, stdoutNoise.ToString() + process.Errors);
        }
    }

    private async Task PumpStdoutAsync()
    {
        await foreach (var line in process.Lines.ReadAllAsync().ConfigureAwait(false))
        {
            JsonElement element;
            try
            {
                if (line.Length == 0 || line[0] != '{')
                {
                    throw new JsonException();
                }

                element = JsonDocument.Parse(line).RootElement.Clone();
            }
            catch (JsonException)
            {
                lock (steps)
                {
                    stdoutNoise.Append("[stdout] ").AppendLine(line);
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
}
