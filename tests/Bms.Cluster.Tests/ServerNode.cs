using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bms.Realtime.Client;

namespace Bms.Cluster.Tests;

/// <summary>One <c>Bms.Server</c> process (the real program, <c>dotnet Bms.Server.dll</c>) on 127.0.0.1:0.</summary>
internal sealed partial class ServerNode : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _nodeId = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _workDir;

    private ServerNode(Process process, string name, string workDir)
    {
        _process = process;
        Name = name;
        _workDir = workDir;
    }

    public string Name { get; }

    public Uri Url { get; private set; } = null!;

    /// <summary>The node id the process logged ("Event tracing on (node …)").</summary>
    public string NodeId { get; private set; } = string.Empty;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static string ServerDll => TestEnvironment.BuiltAssembly("src/Bms.Server", "Bms.Server");

    public static async Task<ServerNode> StartAsync(string name, string database, string redis, IReadOnlyDictionary<string, string>? settings = null)
    {
        var workDir = Directory.CreateTempSubdirectory("bms-node-").FullName;
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { ServerDll, "--urls", "http://127.0.0.1:0" })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["ConnectionStrings__Bms"] = database;
        info.Environment["ConnectionStrings__Redis"] = redis;
        info.Environment["Bms__DemoData"] = "true";
        info.Environment["Bms__Scale__TraceEvents"] = "true";
        info.Environment["Bms__Metrics__RequireAuth"] = "false";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        info.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        info.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";

        // On a loaded test machine a healthy Redis can take over a second to answer a PING; tests of a hung Redis
        // pass the product's 1 s in settings.
        info.Environment["Bms__Scale__Redis__HeartbeatTimeout"] = "00:00:05";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        process.StandardInput.Close();
        var node = new ServerNode(process, name, workDir);
        _ = node.PumpAsync(process.StandardOutput);
        _ = node.PumpAsync(process.StandardError);
        try
        {
            node.Url = await node._listening.Task.WaitAsync(TimeSpan.FromSeconds(90));
            node.NodeId = await node._nodeId.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await node.WaitReadyAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            await node.DisposeAsync();
            throw new TimeoutException($"node {name} did not start:\n{node.Log}");
        }

        node.Http.BaseAddress = node.Url;
        if (Environment.GetEnvironmentVariable("BMS_CLUSTER_TIMING") is { Length: > 0 } timing)
        {
            await File.AppendAllTextAsync(timing, $"{DateTime.UtcNow:HH:mm:ss.fff} node {name} ready\n");
        }

        return node;
    }

    public async Task<string> LoginAsync(string username, string password)
    {
        using var response = await Http.PostAsJsonAsync("/api/auth/login", new { username, password }).WaitAsync(Infrastructure.Wait);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Infrastructure.Wait)).GetProperty("accessToken").GetString()!;
    }

    public async Task<string> TerminalLoginAsync(string terminalId, string secret)
    {
        using var response = await Http.PostAsJsonAsync("/api/auth/terminal", new { terminalId, secret }).WaitAsync(Infrastructure.Wait);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Infrastructure.Wait)).GetProperty("accessToken").GetString()!;
    }

    public async Task<JsonElement> GetAsync(string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Http.SendAsync(request).WaitAsync(Infrastructure.Wait);
        var body = await response.Content.ReadAsStringAsync().WaitAsync(Infrastructure.Wait);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task<JsonElement> PostAsync(string path, object body, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Http.SendAsync(request).WaitAsync(Infrastructure.Wait);
        var text = await response.Content.ReadAsStringAsync().WaitAsync(Infrastructure.Wait);
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<string> GetTextAsync(string path)
    {
        using var response = await Http.GetAsync(path).WaitAsync(Infrastructure.Wait);
        return await response.Content.ReadAsStringAsync().WaitAsync(Infrastructure.Wait);
    }

    /// <summary>Our client on this node with <paramref name="token"/> in the CONNECT auth payload.</summary>
    public WebSocketClient NewClient(string token) => WebSocketClientFactory.Create(new WebSocketClientOptions
    {
        Url = Url,
        AccessTokenProvider = _ => ValueTask.FromResult<string?>(token),
        ReconnectionDelay = TimeSpan.FromMilliseconds(200),
        ReconnectionDelayMax = TimeSpan.FromSeconds(1),
        Timeout = TimeSpan.FromSeconds(15),
    });

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
        _process.Dispose();
        try
        {
            Directory.Delete(_workDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task WaitReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(10) };
        while (true)
        {
            try
            {
                using var response = await http.GetAsync("/health/ready").WaitAsync(TimeSpan.FromSeconds(15));
                if (response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync()).Contains("\"status\":\"Healthy\"", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too slow to answer on a loaded machine: ask again (the caller bounds the wait).
            }

            await Task.Delay(100).WaitAsync(TimeSpan.FromSeconds(5));
        }
    }

    private async Task PumpAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }

            if (ListeningPattern().Match(line) is { Success: true } listening)
            {
                _listening.TrySetResult(new Uri(listening.Groups[1].Value));
            }

            if (NodePattern().Match(line) is { Success: true } node)
            {
                _nodeId.TrySetResult(node.Groups[1].Value);
            }
        }
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningPattern();

    [GeneratedRegex(@"Event tracing on \(node ([^)]+)\)")]
    private static partial Regex NodePattern();
}
