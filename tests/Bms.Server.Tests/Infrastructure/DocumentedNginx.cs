using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Bms.Server.Tests.Infrastructure;

/// <summary>
/// Test helper: a throwaway nginx running <c>docs/nginx.conf</c> in front of one server, with only the listen address,
/// the upstream addresses, the worker count and the process paths changed (pid, logs and temp paths in a temp
/// directory). Requests can leave from any 127.0.0.0/8 address, so nginx sees distinct clients.
/// </summary>
public sealed partial class DocumentedNginx : IAsyncDisposable
{
    private readonly Process process;
    private readonly string directory;

    private DocumentedNginx(Process process, string directory, Uri baseAddress)
    {
        this.process = process;
        this.directory = directory;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The nginx binary: <c>BMS_NGINX</c>, else <c>/usr/sbin/nginx</c>; null when absent.</summary>
    public static string? Executable =>
        Environment.GetEnvironmentVariable("BMS_NGINX") is { Length: > 0 } fromEnv && File.Exists(fromEnv) ? fromEnv
        : File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : null;

    public static async Task<DocumentedNginx> StartAsync(Uri upstream)
    {
        var nginx = Executable ?? throw new InvalidOperationException("nginx is not installed (scripts/test.sh installs it)");
        var root = Environment.GetEnvironmentVariable("BMS_REPO_ROOT") is { Length: > 0 } fromEnv ? fromEnv : FindRepositoryRoot();
        var documented = await File.ReadAllTextAsync(Path.Combine(root, "docs", "nginx.conf"));
        for (var attempt = 1; ; attempt++)
        {
            var directory = Directory.CreateTempSubdirectory("bms-nginx-").FullName;
            var port = FreePort();
            var text = WorkerProcesses().Replace(documented, "worker_processes 1;", 1);
            text = Listen().Replace(text, $"listen 127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)};", 1);
            text = UpstreamServer().Replace(text, m => $"{m.Groups[1].Value}server {upstream.Authority}{m.Groups[2].Value}");
            text = HttpBlock().Replace(
                text,
                $"http {{\n    access_log {directory}/access.log;\n    client_body_temp_path {directory}/client_body;\n    proxy_temp_path {directory}/proxy;\n"
                + $"    fastcgi_temp_path {directory}/fastcgi;\n    uwsgi_temp_path {directory}/uwsgi;\n    scgi_temp_path {directory}/scgi;",
                1);
            var file = Path.Combine(directory, "nginx.conf");
            await File.WriteAllTextAsync(file, text);
            var info = new ProcessStartInfo(nginx) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            var globals = $"daemon off; pid {directory}/nginx.pid;" + (Environment.UserName == "root" ? " user root;" : string.Empty);
            foreach (var arg in new[] { "-p", directory + "/", "-c", file, "-e", Path.Combine(directory, "error.log"), "-g", globals })
            {
                info.ArgumentList.Add(arg);
            }

            var process = Process.Start(info) ?? throw new InvalidOperationException("nginx did not start");
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            var balancer = new DocumentedNginx(process, directory, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"));
            if (await balancer.WaitListeningAsync(port).WaitAsync(TimeSpan.FromSeconds(25)))
            {
                return balancer;
            }

            var log = File.Exists(Path.Combine(directory, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(directory, "error.log")) : "";
            await balancer.DisposeAsync();
            if (attempt < 3 && log.Contains("Address already in use", StringComparison.Ordinal))
            {
                continue;
            }

            throw new InvalidOperationException($"nginx did not listen on port {port}:\n{log}");
        }
    }

    /// <summary>An HTTP client whose connections leave from <paramref name="source"/> (a 127.0.0.0/8 address).</summary>
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
            BaseAddress = BaseAddress,
            Timeout = BmsServerHost.Timeout,
        };

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        process.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "docs", "nginx.conf")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("docs/nginx.conf not found above the test directory; set BMS_REPO_ROOT");
    }

    private async Task<bool> WaitListeningAsync(int port)
    {
        while (!process.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        return false;
    }

    [GeneratedRegex(@"worker_processes\s+\S+;")]
    private static partial Regex WorkerProcesses();

    [GeneratedRegex(@"listen\s+\d+;")]
    private static partial Regex Listen();

    [GeneratedRegex(@"(\n\s*)server 127\.0\.0\.1:\d+( [^\n]*;)")]
    private static partial Regex UpstreamServer();

    [GeneratedRegex(@"http \{")]
    private static partial Regex HttpBlock();
}
