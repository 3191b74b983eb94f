using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Bms.Realtime.Server.Namespaces;
using Bms.Realtime.Server.Engine;
using Bms.Realtime.Server.Hosting;
using Bms.Server.Data;
using Bms.Server.Hosting;
using Bms.Server.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bms.Testing;

/// <summary>
/// The real backend (<see cref="BmsApplication"/>, what <c>dotnet run --project src/Bms.Server</c> starts) on real
/// Kestrel at 127.0.0.1 over a SQLite file with the demo data. It can be stopped and started again on the same address
/// and database. <c>BMS_TEST_LOGS=1</c> shows the server's log on the console.
/// </summary>
public sealed class BmsServerHost : IAsyncDisposable
{
    /// <summary>The ceiling for one await against the host.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly BmsServerHostOptions _options;
    private readonly bool _ownsDirectory;
    private WebApplication? _app;
    private HttpClient? _http;

    private BmsServerHost(BmsServerHostOptions options)
    {
        _options = options;
        _ownsDirectory = options.Directory is null;
        Directory = options.Directory ?? Path.Combine(Path.GetTempPath(), "bms-server-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        if (options.SettingsJson is { } json)
        {
            File.WriteAllText(SettingsPath, json);
        }

        Port = options.Port;
    }

    /// <summary>The loopback port (fixed by the options, else bound on the first start and kept).</summary>
    public int Port { get; private set; }

    /// <summary><c>http://127.0.0.1:port/</c>.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>Same as <see cref="BaseAddress"/>.</summary>
    public Uri Url => BaseAddress;

    /// <summary>An HTTP client on <see cref="BaseAddress"/> (while running).</summary>
    public HttpClient Http => _http ?? throw new InvalidOperationException("The server is not running.");

    /// <summary>True between a start and a stop.</summary>
    public bool IsRunning => _app is not null;

    /// <summary>The running application's services.</summary>
    public IServiceProvider Services => (_app ?? throw new InvalidOperationException("The server is not running.")).Services;

    /// <summary>The real-time server, to act from the server side.</summary>
    public RealtimeServer Realtime => Services.GetRequiredService<RealtimeServer>();

    /// <summary>The folder holding the database.</summary>
    public string Directory { get; }

    /// <summary>The SQLite file.</summary>
    public string DatabasePath => Path.Combine(Directory, "bms.db");

    private string SettingsPath => Path.Combine(Directory, "settings.json");

    /// <summary>Creates a host without starting it (its URL is known when <see cref="BmsServerHostOptions.Port"/> is set).</summary>
    public static BmsServerHost Create(BmsServerHostOptions? options = null) => new(options ?? new BmsServerHostOptions());

    /// <summary>Creates and starts a host.</summary>
    public static async Task<BmsServerHost> StartAsync(BmsServerHostOptions options)
    {
        var host = Create(options);
        try
        {
            await host.StartServerAsync();
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    /// <summary>
    /// Starts a server; <paramref name="settings"/> are extra configuration keys (e.g. rate limits),
    /// <paramref name="configure"/> adds services, and <paramref name="dashboard"/> adds the web dashboard as
    /// <c>Program</c> does.
    /// </summary>
    public static Task<BmsServerHost> StartAsync(
        IDictionary<string, string>? settings = null, string environment = "Development", Action<WebApplicationBuilder>? configure = null, bool dashboard = false) =>
        StartAsync(new BmsServerHostOptions { Settings = settings, Environment = environment, Configure = configure, Dashboard = dashboard });

    /// <summary>Starts the server (again, on the same port and database). No-op while it runs.</summary>
    public async Task StartServerAsync()
    {
        if (_app is not null)
        {
            return;
        }

        var args = new List<string>
        {
            "--urls", $"http://127.0.0.1:{Port}",
            "--environment", _options.Environment,
            $"--ConnectionStrings:Bms=Data Source={DatabasePath}",
            "--Bms:DemoData=true",
            "--Bms:PasswordHasher:IterationCount=1000",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.EntityFrameworkCore=Warning",
        };
        if (_options.Dashboard)
        {
            // Static web assets (the stylesheet, blazor.web.js, the WebAssembly app) are found through the Bms.Server manifests.
            args.AddRange(["--applicationName", "Bms.Server", "--DetailedErrors=true"]);
        }

        foreach (var (key, value) in _options.Settings ?? new Dictionary<string, string>())
        {
            args.Add($"--{key}={value}");
        }

        var logs = Environment.GetEnvironmentVariable("BMS_TEST_LOGS") == "1";
        if (logs)
        {
            args.Add("--Logging:LogLevel:Bms=Debug");
            args.Add("--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information");
        }

        var app = BmsApplication.Create([.. args], b =>
        {
            b.Logging.ClearProviders();
            if (logs)
            {
                b.Logging.AddSimpleConsole(o => o.TimestampFormat = "HH:mm:ss.fff ");
            }

            if (_options.SettingsJson is not null)
            {
                b.Configuration.AddJsonFile(SettingsPath, optional: false, reloadOnChange: false);
            }

            if (_options.Dashboard)
            {
                b.AddBmsDashboard();
            }

            if (_options.PingInterval is { } interval)
            {
                b.Services.Configure<RealtimeServerOptions>(o =>
                {
                    o.PingInterval = interval;
                    o.PingTimeout = interval;
                });
            }

            _options.Configure?.Invoke(b);
        });
        if (_options.Dashboard)
        {
            app.MapBmsDashboard();
        }

        try
        {
            await app.StartAsync().WaitAsync(Timeout);
        }
        catch
        {
            await app.DisposeAsync();
            SqliteConnection.ClearAllPools();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Port = new Uri(address).Port;
        _app = app;
        _http = new HttpClient { BaseAddress = BaseAddress, Timeout = Timeout };
    }

    /// <summary>Stops the server (its sockets close, new connections are refused), keeping its database and port.</summary>
    public async Task StopServerAsync()
    {
        if (_app is not { } app)
        {
            return;
        }

        _app = null;
        _http?.Dispose();
        _http = null;
        try
        {
            // Graceful stop is capped: open WebSocket sessions would otherwise hold Kestrel's shutdown for its full timeout.
            using var cap = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await app.StopAsync(cap.Token).WaitAsync(Timeout);
        }
        finally
        {
            await app.DisposeAsync();
            SqliteConnection.ClearAllPools();
        }
    }

    /// <summary>Replaces the JSON settings file (see <see cref="BmsServerHostOptions.SettingsJson"/>) and reloads the running server's configuration.</summary>
    public void ReloadSettings(string settingsJson)
    {
        File.WriteAllText(SettingsPath, settingsJson);
        ((IConfigurationRoot)Services.GetRequiredService<IConfiguration>()).Reload();
    }

    /// <summary>Runs <paramref name="action"/> with a fresh <see cref="BmsDbContext"/> that sees every store.</summary>
    internal async Task<T> WithDbAsync<T>(Func<BmsDbContext, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BmsDbContext>();
        db.StoreScope.UseAllStores();
        return await action(db).WaitAsync(Timeout);
    }

    /// <summary>The current security stamp of user <paramref name="userId"/> (what its valid access tokens carry).</summary>
    public Task<string> SecurityStampAsync(int userId) =>
        WithDbAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.SecurityStamp).SingleAsync());

    /// <summary>Signs in and returns the login response as JSON.</summary>
    public async Task<JsonElement> LoginAsync(string username, string password)
    {
        using var response = await Http.PostAsJsonAsync("/api/auth/login", new { username, password }).WaitAsync(Timeout);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Timeout);
    }

    /// <summary>Signs in a demo user and returns the access token.</summary>
    public async Task<string> TokenAsync(string username)
    {
        var login = await LoginAsync(username, DemoPassword(username));
        return login.GetProperty("accessToken").GetString()!;
    }

    /// <summary>Signs in the demo terminal POS-001 and returns its access token.</summary>
    public async Task<string> TerminalTokenAsync()
    {
        using var response = await Http.PostAsJsonAsync("/api/auth/terminal", new { terminalId = "POS-001", secret = "pos-secret-001" })
            .WaitAsync(Timeout);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Timeout);
        return body.GetProperty("accessToken").GetString()!;
    }

    /// <summary>The demo password of a demo user.</summary>
    public static string DemoPassword(string username) => $"{username}123!";

    /// <summary>A request with a bearer token.</summary>
    public static HttpRequestMessage Request(HttpMethod method, string path, string? token, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return request;
    }

    /// <summary>Sends a request and returns status and JSON body (default when empty).</summary>
    public async Task<(System.Net.HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(
        HttpMethod method, string path, string? token, object? body = null)
    {
        using var request = Request(method, path, token, body);
        return await SendAsync(request);
    }

    /// <summary>Sends a request and returns status and JSON body (default when empty).</summary>
    public async Task<(System.Net.HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(HttpRequestMessage request)
    {
        var response = await Http.SendAsync(request).WaitAsync(Timeout);
        var text = await response.Content.ReadAsStringAsync().WaitAsync(Timeout);
        var json = string.IsNullOrEmpty(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, json, response);
    }

    /// <summary>
    /// Closes the engine connection of every socket on <paramref name="namespace"/> without a namespace DISCONNECT
    /// (transport close, as when the network drops); returns how many engine connections were closed.
    /// </summary>
    public Task<int> DropConnectionsAsync(string @namespace)
    {
        var closed = 0;
        foreach (var socket in Realtime.Of(@namespace).Sockets.Values)
        {
            if (Realtime.Engine.TryGetSession(socket.EngineId, out var session) && session is { IsClosed: false })
            {
                session.Close(EngineCloseReason.TransportClose, "dropped by the test", sendClosePacket: false);
                closed++;
            }
        }

        return Task.FromResult(closed);
    }

    /// <summary>Completes when a socket on <paramref name="namespace"/> is in <paramref name="room"/>.</summary>
    public async Task WaitForRoomAsync(string @namespace, string room)
    {
        while (!Realtime.Of(@namespace).Sockets.Values.Any(s => s.Connected && s.Rooms.Contains(room)))
        {
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopServerAsync();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (_ownsDirectory)
            {
                try
                {
                    System.IO.Directory.Delete(Directory, recursive: true);
                }
                catch (IOException)
                {
                    // A leftover temp folder is harmless; never fail a test on cleanup.
                }
            }
        }
    }
}
