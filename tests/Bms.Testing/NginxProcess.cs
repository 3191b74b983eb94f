using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Bms.Testing;

/// <summary>
/// A throwaway nginx (its own process, configuration, pid file, logs and temp paths in a temp directory, listening on a
/// free loopback port), usually running <c>docs/nginx.conf</c> as <see cref="Configure"/> adapts it. Requests can
/// leave from any 127.0.0.0/8 address (<see cref="ClientFrom"/>), so nginx sees distinct clients.
/// </summary>
public sealed partial class NginxProcess : IAsyncDisposable
{
    private const string UpstreamHeader = "X-Bms-Upstream";
    private readonly ChildProcess _process;
    private readonly string _directory;

    private NginxProcess(ChildProcess process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Url = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>Where nginx listens, <c>http://127.0.0.1:port</c>.</summary>
    public Uri Url { get; }

    /// <summary>Same as <see cref="Url"/>.</summary>
    public Uri BaseAddress => Url;

    /// <summary>nginx's error log so far.</summary>
    public string ErrorLog => ReadShared(Path.Combine(_directory, "error.log"));

    /// <summary>The nginx binary: <c>BMS_NGINX</c>, else <c>nginx</c> on the PATH, else <c>/usr/sbin/nginx</c>; null when absent.</summary>
    public static string? Executable => TestEnvironment.FindProgram("BMS_NGINX", "nginx", "/usr/sbin/nginx");

    /// <summary>The text of <c>docs/nginx.conf</c>.</summary>
    public static string DocumentedConfiguration => File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "docs", "nginx.conf"));

    /// <summary>
    /// The documented configuration with the one <c>listen</c> on <c>127.0.0.1:port</c>, the addresses of the
    /// <c>server</c> lines of <c>upstream bms_nodes</c> replaced by <paramref name="nodes"/> (their parameters kept; one
    /// node takes every line), one worker process, and, unless <paramref name="sticky"/>, the stickiness line removed
    /// (round-robin). Throws when the file no longer has the shape this relies on, so a change to the sample cannot go
    /// untested.
    /// </summary>
    public static string Configure(string documented, int port, IReadOnlyList<Uri> nodes, bool sticky = true)
    {
        // One worker: each worker keeps its own round-robin position, so with one the round-robin variant alternates
        // strictly between the nodes. The hash does not depend on the number of workers.
        var text = ReplaceOnce(documented, WorkerProcessesPattern(), "worker_processes 1;");
        text = ReplaceOnce(text, ListenPattern(), $"listen 127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)};");

        var upstream = UpstreamPattern().Match(text);
        Require(upstream.Success, "docs/nginx.conf has no 'upstream bms_nodes { ... }' block");
        var block = upstream.Value;
        var servers = ServerPattern().Matches(block);
        Require(nodes.Count == 1 || servers.Count == nodes.Count, $"docs/nginx.conf should list {nodes.Count} server lines in bms_nodes, has {servers.Count}");
        var index = 0;
        block = ServerPattern().Replace(block, m => $"{m.Groups[1].Value}server {nodes[nodes.Count == 1 ? 0 : index++].Authority}{m.Groups[3].Value}");
        Require(StickinessPattern().Matches(block).Count == 1, "docs/nginx.conf should have exactly one stickiness line in bms_nodes");
        if (!sticky)
        {
            block = StickinessPattern().Replace(block, string.Empty);
        }

        return string.Concat(text.AsSpan(0, upstream.Index), block, text.AsSpan(upstream.Index + upstream.Length));
    }

    /// <summary>Starts nginx running <c>docs/nginx.conf</c> in front of <paramref name="nodes"/>.</summary>
    public static Task<NginxProcess> StartDocumentedAsync(IReadOnlyList<Uri> nodes, bool sticky = true) =>
        StartAsync(port => Configure(DocumentedConfiguration, port, nodes, sticky));

    /// <summary>Starts nginx with <paramref name="configuration"/> (given the port to listen on) on a free port.</summary>
    public static async Task<NginxProcess> StartAsync(Func<int, string> configuration)
    {
        var nginx = Executable ?? throw new InvalidOperationException("nginx is not installed (scripts/test.sh installs it)");
        var compiled = await ChildProcess.RunAsync(nginx, ["-V"], Waits.Step);
        for (var attempt = 1; ; attempt++)
        {
            var directory = Directory.CreateTempSubdirectory("bms-nginx-").FullName;
            var port = TestEnvironment.FreePort();
            await File.WriteAllTextAsync(Path.Combine(directory, "nginx.conf"), WithHarness(configuration(port), directory, compiled.Output));

            // The master stays in the foreground (a child of the test); as root its workers run as root too, so they
            // can use the temp directory (mode 700) instead of switching to nobody.
            var globals = $"daemon off; pid {directory}/nginx.pid;" + (Environment.UserName == "root" ? " user root;" : string.Empty);
            var process = ChildProcess.Start(nginx, ["-p", directory + "/", "-c", Path.Combine(directory, "nginx.conf"), "-e", Path.Combine(directory, "error.log"), "-g", globals]);
            var balancer = new NginxProcess(process, directory, port);
            if (await balancer.WaitListeningAsync().WaitAsync(TimeSpan.FromSeconds(25)))
            {
                return balancer;
            }

            var log = balancer.ErrorLog;
            await balancer.DisposeAsync();
            if (attempt < 3 && log.Contains("Address already in use", StringComparison.Ordinal))
            {
                continue;
            }

            throw new InvalidOperationException($"nginx did not listen on port {port}:\n{log}");
        }
    }

    /// <summary>An HTTP client on <see cref="Url"/> whose connections leave from <paramref name="source"/> (a 127.0.0.0/8 address).</summary>
    public HttpClient ClientFrom(IPAddress source) =>
        new(new SocketsHttpHandler
        {
            UseCookies = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
        {
            BaseAddress = Url,
            Timeout = Waits.Step,
        };

    /// <summary>
    /// Which upstream (<c>127.0.0.1:port</c> of a node) nginx picks for a request from <paramref name="source"/>,
    /// read from a response header the harness adds.
    /// </summary>
    public async Task<string> UpstreamForAsync(IPAddress source, string path = "/health/live")
    {
        using var http = ClientFrom(source);
        using var response = await http.GetAsync(path).WaitAsync(Waits.Step);
        Require(response.IsSuccessStatusCode, $"GET {path} through nginx from {source}: {(int)response.StatusCode}\n{ErrorLog}");
        return response.Headers.GetValues(UpstreamHeader).Single();
    }

    /// <summary>Every request nginx has logged so far (a request is logged when it ends).</summary>
    public IReadOnlyList<AccessLogEntry> AccessLog() =>
        [.. ReadShared(Path.Combine(_directory, "access.log")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(AccessLogEntry.Parse)];

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    /// <summary>
    /// Adds what the tests need and a sample must not decide: an access log naming the upstream of every request,
    /// a response header naming it, and temp paths inside <paramref name="directory"/> (the packaged defaults are
    /// under /var/lib/nginx, which only root may write).
    /// </summary>
    private static string WithHarness(string configuration, string directory, string compiledOptions)
    {
        var lines = new List<string>
        {
            "log_format bms_test '$remote_addr|$upstream_addr|$status|$request_method|$uri|$args';",
            $"access_log {directory}/access.log bms_test;",
            $"add_header {UpstreamHeader} $upstream_addr always;",
            $"client_body_temp_path {directory}/client_body;",
            $"proxy_temp_path {directory}/proxy;",
        };
        foreach (var module in new[] { "fastcgi", "uwsgi", "scgi" })
        {
            if (!compiledOptions.Contains($"--without-http_{module}_module", StringComparison.Ordinal))
            {
                lines.Add($"{module}_temp_path {directory}/{module};");
            }
        }

        var harness = string.Concat(lines.Select(l => "\n    " + l));
        return ReplaceOnce(configuration, HttpBlockPattern(), "http {" + harness);
    }

    private static string ReplaceOnce(string text, Regex pattern, string replacement)
    {
        var matches = pattern.Matches(text);
        Require(matches.Count == 1, $"docs/nginx.conf should have exactly one match of {pattern}, has {matches.Count}");
        return string.Concat(text.AsSpan(0, matches[0].Index), replacement, text.AsSpan(matches[0].Index + matches[0].Length));
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }

    private static string ReadShared(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return string.Empty;
        }
    }

    private async Task<bool> WaitListeningAsync()
    {
        while (!_process.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Url.Port).WaitAsync(TimeSpan.FromSeconds(2));
                return true;
            }
            catch (Exception ex) when (ex is SocketException or TimeoutException)
            {
            }

            await Task.Delay(50);
        }

        return false;
    }

    // Directives are matched only at the start of a line, so the comments of the sample cannot match.
    [GeneratedRegex(@"^[ \t]*worker_processes\s+[^;]+;", RegexOptions.Multiline)]
    private static partial Regex WorkerProcessesPattern();

    [GeneratedRegex(@"^[ \t]*listen\s+[^;]+;", RegexOptions.Multiline)]
    private static partial Regex ListenPattern();

    [GeneratedRegex(@"^[ \t]*http\s*\{", RegexOptions.Multiline)]
    private static partial Regex HttpBlockPattern();

    [GeneratedRegex(@"upstream\s+bms_nodes\s*\{[^}]*\}")]
    private static partial Regex UpstreamPattern();

    [GeneratedRegex(@"^([ \t]*)server\s+([^\s;]+)([^;]*;)", RegexOptions.Multiline)]
    private static partial Regex ServerPattern();

    [GeneratedRegex(@"^[ \t]*(ip_hash|hash\s+[^;]+|sticky\s+[^;]+);[^\n]*\n", RegexOptions.Multiline)]
    private static partial Regex StickinessPattern();
}
