using System.Diagnostics;

namespace Bms.Realtime.Server.Tests.Interop;

/// <summary>
/// Locates the <c>interop/</c> folder (Node peers) and makes sure Node and its packages are there.
/// Interop tests never skip: with <c>CI=true</c> and without it, a missing Node is a failure with a clear message.
/// </summary>
internal static class InteropEnvironment
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private static bool ready;

    /// <summary>True when running under CI (<c>CI=true</c>).</summary>
    public static bool IsCi =>
        Environment.GetEnvironmentVariable("CI") is { } ci && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");

    /// <summary>Absolute path of <c>interop/</c>: <c>BMS_INTEROP_DIR</c>, else found by walking up to the repository root.</summary>
    public static string InteropDirectory { get; } = FindInteropDirectory();

    /// <summary>Checks that <c>node</c> runs and that <c>interop/node_modules</c> exists, running <c>npm ci</c> once if not.</summary>
    public static async Task EnsureReadyAsync()
    {
        if (ready)
        {
            return;
        }

        await InstallLock.WaitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        try
        {
            if (ready)
            {
                return;
            }

            var (code, output) = await RunAsync("node", "--version", InteropDirectory, TimeSpan.FromSeconds(30));
            if (code != 0)
            {
                throw new InvalidOperationException(
                    $"Interop tests need Node.js 20 on PATH (`node --version` failed: {output}). Install Node 20 and run `bash scripts/test.sh`.");
            }

            if (!File.Exists(Path.Combine(InteropDirectory, "node_modules", "socket.io-client", "package.json")))
            {
                var (npmCode, npmOutput) = await RunAsync("npm", "ci --no-audit --no-fund", InteropDirectory, TimeSpan.FromMinutes(4));
                if (npmCode != 0)
                {
                    throw new InvalidOperationException($"`npm ci` in {InteropDirectory} failed ({npmCode}): {npmOutput}");
                }
            }

            ready = true;
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static string FindInteropDirectory()
    {
        if (Environment.GetEnvironmentVariable("BMS_INTEROP_DIR") is { Length: > 0 } fromEnv && Directory.Exists(fromEnv))
        {
            return Path.GetFullPath(fromEnv);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BmsRealtime.slnx")))
            {
                return Path.Combine(dir.FullName, "interop");
            }
        }

        throw new InvalidOperationException("Cannot find interop/: set BMS_INTEROP_DIR or run from inside the repository.");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string arguments, string workingDirectory, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, ex.Message);
        }

        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            try
            {
                await process.WaitForExitAsync().WaitAsync(timeout);
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"{file} {arguments} timed out after {timeout}");
            }

            return (process.ExitCode, (await stdout.WaitAsync(timeout)) + (await stderr.WaitAsync(timeout)));
        }
    }
}
