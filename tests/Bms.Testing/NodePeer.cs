using System.Globalization;
using System.Text.Json;

namespace Bms.Testing;

/// <summary>
/// Launches the Node peers in <c>interop/</c> (the official socket.io, socket.io-client and @socket.io/redis-adapter
/// 4.8): checks once per test run that <c>node</c> runs and that <c>npm ci</c> has installed the packages, then starts
/// scripts as <see cref="ChildProcess"/>es. A missing Node is a failure with a clear message, never a skip.
/// </summary>
public static class NodePeer
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private static bool ready;

    /// <summary>Checks <c>node --version</c> and runs <c>npm ci</c> in <c>interop/</c> once when its packages are missing.</summary>
    public static async Task EnsureReadyAsync()
    {
        if (Volatile.Read(ref ready))
        {
            return;
        }

        await InstallLock.WaitAsync().WaitAsync(Waits.Long);
        try
        {
            if (ready)
            {
                return;
            }

            var interop = TestEnvironment.InteropDirectory;
            var (code, output) = await ChildProcess.RunAsync("node", ["--version"], Waits.Step, interop);
            if (code != 0)
            {
                throw new InvalidOperationException(
                    $"The Node peers need Node.js 20 on PATH (`node --version` failed: {output}). Install Node 20 and run `bash scripts/test.sh`.");
            }

            string[] packages = ["socket.io", "socket.io-client", "@socket.io/redis-adapter"];
            if (!packages.All(p => File.Exists(Path.Combine(interop, "node_modules", p, "package.json"))))
            {
                var (npmCode, npmOutput) = await ChildProcess.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(4), interop);
                if (npmCode != 0)
                {
                    throw new InvalidOperationException($"`npm ci` in {interop} failed ({npmCode}): {npmOutput}");
                }
            }

            Volatile.Write(ref ready, true);
        }
        finally
        {
            InstallLock.Release();
        }
    }

    /// <summary>
    /// Runs <c>node <paramref name="script"/> <paramref name="arguments"/></c> in <c>interop/</c> (a relative script is
    /// looked up there; pass an absolute path for a script of a test project).
    /// </summary>
    public static async Task<ChildProcess> StartAsync(
        string script, IEnumerable<string>? arguments = null, IReadOnlyDictionary<string, string>? environment = null, bool keepInputOpen = false)
    {
        await EnsureReadyAsync().WaitAsync(Waits.Long);
        return ChildProcess.Start("node", [script, .. arguments ?? []], TestEnvironment.InteropDirectory, environment, keepInputOpen);
    }

    /// <summary>
    /// Starts a Node server script that prints one JSON line with its <c>port</c> when it listens (<c>node-server.mjs</c>,
    /// <c>redis-node-server.mjs</c>). <paramref name="port"/> goes in as <c>PORT</c> (0: a free one). Returns the process
    /// and that first line.
    /// </summary>
    public static async Task<(ChildProcess Process, JsonElement Listening)> StartServerAsync(
        string script, int port = 0, IReadOnlyDictionary<string, string>? environment = null)
    {
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["PORT"] = port.ToString(CultureInfo.InvariantCulture) };
        var process = await StartAsync(script, null, env);
        try
        {
            var first = await process.ReadLineAsync(Waits.Step)
                ?? throw new InvalidOperationException($"{script} exited before listening: {process.Errors}");
            return (process, JsonDocument.Parse(first).RootElement.Clone());
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>A duration as whole milliseconds, the way the Node scripts read them from the environment.</summary>
    public static string Milliseconds(TimeSpan value) => ((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
}
