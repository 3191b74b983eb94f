using System.Text.Json;

namespace Bms.Cluster.Tests;

/// <summary>
/// Runs <c>balanced-clients.mjs</c>: several official socket.io-client 4.8 clients on <c>/main</c> through a balancer,
/// each from its own loopback source address, on one transport. Collects the JSON lines it prints.
/// </summary>
internal sealed class BalancedClients : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly List<JsonElement> _lines = [];
    private bool _outputEnded;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private BalancedClients(ChildProcess process)
    {
        _process = process;
    }

    public IReadOnlyList<JsonElement> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>interop/ (<c>BMS_INTEROP_DIR</c>, else the repository's) when its node_modules has socket.io-client.</summary>
    public static string? InteropDirectory
    {
        get
        {
            var directory = Environment.GetEnvironmentVariable("BMS_INTEROP_DIR") is { Length: > 0 } fromEnv ? fromEnv : Path.Combine(TestEnvironment.RepositoryRoot, "interop");
            return Directory.Exists(Path.Combine(directory, "node_modules", "socket.io-client")) ? directory : null;
        }
    }

    public static async Task<BalancedClients> StartAsync(Uri url, string token, string transport, IEnumerable<string> sourceAddresses, bool reconnect = true)
    {
        var interop = InteropDirectory ?? throw new InvalidOperationException("interop/node_modules is missing (scripts/test.sh runs npm ci)");
        var script = Path.Combine(AppContext.BaseDirectory, "balanced-clients.mjs");
        var process = await NodePeer.StartAsync(
            script, [interop, url.ToString().TrimEnd('/'), token, transport, string.Join(',', sourceAddresses), reconnect ? "reconnect" : "no-reconnect"], keepInputOpen: true);
        var clients = new BalancedClients(process);
        _ = clients.PumpAsync();
        return clients;
    }

    /// <summary>The first line (already printed or still to come) that matches, or a failure after <paramref name="timeout"/>.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, string description, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Task changed;
            bool done;
            lock (_lines)
            {
                foreach (var line in _lines)
                {
                    if (match(line))
                    {
                        return line;
                    }
                }

                changed = _changed.Task;
                done = _outputEnded;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || done)
            {
                Assert.Fail($"no line with {description} within {timeout.TotalSeconds} s{(done ? " (the script ended)" : string.Empty)}. Output:\n{this}");
            }

            await Task.WhenAny(changed, Task.Delay(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1)));
        }
    }

    public Task<JsonElement> WaitForStepAsync(string step, TimeSpan timeout) =>
        WaitForAsync(l => Step(l) == step, $"step '{step}'", timeout);

    /// <summary>Ends stdin: the script reports every client's state ("closing"), disconnects them and exits.</summary>
    public async Task<JsonElement> CloseAsync()
    {
        _process.CloseInput();
        var closing = await WaitForStepAsync("closing", Infrastructure.Wait);
        await _process.WaitForExitAsync(Infrastructure.Wait);
        return closing;
    }

    public static string? Step(JsonElement line) => line.TryGetProperty("step", out var step) ? step.GetString() : null;

    public static int Client(JsonElement line) => line.GetProperty("client").GetInt32();

    public override string ToString()
    {
        lock (_lines)
        {
            return string.Join('\n', _lines.Select(l => l.GetRawText())) + "\nstderr:\n" + _process.Errors;
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private async Task PumpAsync()
    {
        await foreach (var text in _process.Lines.ReadAllAsync().ConfigureAwait(false))
        {
            JsonElement line;
            try
            {
                line = JsonDocument.Parse(text).RootElement.Clone();
            }
            catch (JsonException)
            {
                line = JsonDocument.Parse(JsonSerializer.Serialize(new { step = "text", text })).RootElement.Clone();
            }

            Signal(() => _lines.Add(line));
        }

        Signal(() => _outputEnded = true);
    }

    private void Signal(Action change)
    {
        TaskCompletionSource changed;
        lock (_lines)
        {
            change();
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
