using System.Diagnostics;
using System.Text.Json;

namespace Bms.Pos.Tests.Infrastructure;

/// <summary>
/// Runs the real terminal program (<c>Bms.Pos.Terminal.dll</c>) as a child process in its batch mode and collects
/// its JSON lines.
/// </summary>
internal sealed class TerminalProcess : IDisposable
{
    private readonly Process process;
    private readonly List<JsonElement> events = [];
    private readonly System.Text.StringBuilder stderr = new();
    private readonly System.Text.StringBuilder stdout = new();
    private readonly TaskCompletionSource stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TerminalProcess(Process process)
    {
        this.process = process;
    }

    public int Id => process.Id;

    public IReadOnlyList<JsonElement> Events
    {
        get
        {
            lock (events)
            {
                return [.. events];
            }
        }
    }

    /// <summary>Everything the terminal wrote to stdout (the JSON lines too).</summary>
    public string StandardOutput
    {
        get
        {
            lock (stdout)
            {
                return stdout.ToString();
            }
        }
    }

    public string StandardError
    {
        get
        {
            lock (stderr)
            {
                return stderr.ToString();
            }
        }
    }

    public static string DllPath
    {
        get
        {
            // tests/Bms.Pos.Tests/bin/<Configuration>/net10.0/ -> src/Bms.Pos.Terminal/bin/<Configuration>/net10.0/
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            var tfm = dir.Name;
            var configuration = dir.Parent!.Name;
            var root = dir.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
            // The terminal's own output: the test output lacks its framework-dependent assemblies (the tests use ASP.NET Core's).
            var own = Path.Combine(root, "src", "Bms.Pos.Terminal", "bin", configuration, tfm, "Bms.Pos.Terminal.dll");
            Assert.True(File.Exists(own), $"Build src/Bms.Pos.Terminal first: {own} is missing.");
            return own;
        }
    }

    public static TerminalProcess Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(DllPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var terminal = new TerminalProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                terminal.stdoutClosed.TrySetResult();
                return;
            }

            lock (terminal.stdout)
            {
                terminal.stdout.AppendLine(e.Data);
            }

            if (e.Data.StartsWith('{'))
            {
                lock (terminal.events)
                {
                    terminal.events.Add(JsonDocument.Parse(e.Data).RootElement.Clone());
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (terminal.stderr)
                {
                    terminal.stderr.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return terminal;
    }

    /// <summary>Runs the terminal to completion and returns it (exit code in <see cref="ExitCode"/>).</summary>
    public static async Task<TerminalProcess> RunAsync(params string[] args)
    {
        var terminal = Start(args);
        await terminal.WaitForExitAsync();
        return terminal;
    }

    public int ExitCode => process.ExitCode;

    public async Task WaitForExitAsync()
    {
        try
        {
            await process.WaitForExitAsync().WaitAsync(TestTimeouts.Step);
            await stdoutClosed.Task.WaitAsync(TestTimeouts.Short);
        }
        catch (TimeoutException)
        {
            Kill();
            throw new TimeoutException($"The terminal did not finish. stderr:\n{StandardError}");
        }
    }

    /// <summary>The last event named <paramref name="name"/>; fails with the process output when missing.</summary>
    public JsonElement Event(string name)
    {
        var found = Events.LastOrDefault(e => e.TryGetProperty("event", out var n) && n.GetString() == name);
        Assert.True(found.ValueKind == JsonValueKind.Object,
            $"No '{name}' event. stdout events: {string.Join("\n", Events.Select(e => e.GetRawText()))}\nstderr:\n{StandardError}");
        return found;
    }

    public void AssertSucceeded() =>
        Assert.True(ExitCode == 0,
            $"exit code {ExitCode}. stdout events: {string.Join("\n", Events.Select(e => e.GetRawText()))}\nstderr:\n{StandardError}");

    public void Kill()
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }
}
