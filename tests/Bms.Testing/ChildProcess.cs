using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;

namespace Bms.Testing;

/// <summary>
/// A child process a test starts (a Node peer, redis-server, nginx, a .NET program): stdout arrives line by line on
/// <see cref="Lines"/>, stderr collects in <see cref="Errors"/>, POSIX signals freeze and thaw it, and disposing kills
/// the whole process tree.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _errors = new();
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;

    private ChildProcess(Process process)
    {
        _process = process;
        _stdoutPump = PumpAsync(process.StandardOutput, _output, _lines.Writer);
        _stderrPump = PumpAsync(process.StandardError, _errors, null);
    }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code (only after <see cref="HasExited"/>).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Stdout, one line at a time as it is printed; completes when stdout closes.</summary>
    public ChannelReader<string> Lines => _lines.Reader;

    /// <summary>Everything printed on stdout so far.</summary>
    public string Output => Read(_output);

    /// <summary>Everything printed on stderr so far.</summary>
    public string Errors => Read(_errors);

    /// <summary>
    /// Starts <paramref name="file"/> with <paramref name="arguments"/> (each one argument, no shell quoting), in
    /// <paramref name="workingDirectory"/> (default: the current one), with <paramref name="environment"/> added.
    /// Stdin is closed at once unless <paramref name="keepInputOpen"/> (then <see cref="CloseInput"/> ends it).
    /// </summary>
    public static ChildProcess Start(
        string file, IEnumerable<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null,
        bool keepInputOpen = false)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        if (!keepInputOpen)
        {
            process.StandardInput.Close();
        }

        return new ChildProcess(process);
    }

    /// <summary>Runs a program to its end and returns its exit code and output (stdout then stderr); kills it after <paramref name="timeout"/>.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string file, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null)
    {
        ChildProcess child;
        try
        {
            child = Start(file, arguments, workingDirectory);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, $"{file}: {ex.Message}");
        }

        await using (child)
        {
            if (!await child.WaitForExitAsync(timeout))
            {
                return (-1, $"{file} {string.Join(' ', arguments)} timed out after {timeout}");
            }

            return (child.ExitCode, child.Output + child.Errors);
        }
    }

    /// <summary>Ends the process's stdin (a signal some peers wait for).</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>The next stdout line, or null when stdout closed; a <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public async Task<string?> ReadLineAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await _lines.Reader.WaitToReadAsync(cts.Token) && _lines.Reader.TryRead(out var line) ? line : null;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"process {Id} printed nothing within {timeout}. stderr: {Errors}");
        }
    }

    /// <summary>Sends a POSIX signal by name (<c>STOP</c>, <c>CONT</c>, <c>TERM</c>, …); does nothing once the process exited.</summary>
    public async Task SignalAsync(string signal)
    {
        if (_process.HasExited)
        {
            return;
        }

        var (code, output) = await RunAsync("kill", [$"-{signal}", _process.Id.ToString(CultureInfo.InvariantCulture)], Waits.Short);
        if (code != 0 && !_process.HasExited)
        {
            throw new InvalidOperationException($"kill -{signal} {_process.Id} failed ({code}): {output}");
        }
    }

    /// <summary>Waits for the process to exit and its output to be read; false when it still runs after <paramref name="timeout"/> (then it is killed).</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            Kill();
            return false;
        }

        await Task.WhenAll(_stdoutPump, _stderrPump).WaitAsync(Waits.Short);
        return true;
    }

    /// <summary>Kills the process tree (no-op once it exited).</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            await _process.WaitForExitAsync().WaitAsync(Waits.Short);
            await Task.WhenAll(_stdoutPump, _stderrPump).WaitAsync(Waits.Short);
        }
        catch (TimeoutException)
        {
            // A process that ignores SIGKILL for 10 s is the machine's problem; the test result stands.
        }

        _process.Dispose();
    }

    private static string Read(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder text, ChannelWriter<string>? lines)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                lock (text)
                {
                    text.AppendLine(line);
                }

                lines?.TryWrite(line);
            }
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            lines?.TryComplete();
        }
    }
}
