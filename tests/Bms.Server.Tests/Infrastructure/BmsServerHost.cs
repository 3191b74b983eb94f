using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Bms.Server.Data;
using Bms.Server.Hosting;
using Bms.Server.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bms.Server.Tests.Infrastructure;

/// <summary>
/// Test helper: starts the real backend (<see cref="BmsApplication"/>, real Kestrel on 127.0.0.1 port 0) on a
/// temporary SQLite file with the demo data, and deletes the file afterwards.
/// </summary>
public sealed class BmsServerHost : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly WebApplication app;
    private readonly string directory;

    private BmsServerHost(WebApplication app, string directory, Uri baseAddress)
    {
        this.app = app;
        this.directory = directory;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = Timeout };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => app.Services;

    public string DatabasePath => Path.Combine(directory, "bms.db");

    /// <summary>
    /// Starts a server; <paramref name="settings"/> are extra configuration keys (e.g. rate limits),
    /// <paramref name="configure"/> adds services, and <paramref name="dashboard"/> adds the web dashboard as
    /// <c>Program</c> does.
    /// </summary>
    public static async Task<BmsServerHost> StartAsync(
        IDictionary<string, string>? settings = null, string environment = "Development", Action<WebApplicationBuilder>? configure = null, bool dashboard = false)
    {
        var directory = Path.Combine(Path.GetTempPath(), "bms-server-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var args = new List<string>
        {
            "--urls", "http://127.0.0.1:0",
            "--environment", environment,
            $"--ConnectionStrings:Bms=Data Source={Path.Combine(directory, "bms.db")}",
            "--Bms:DemoData=true",
            "--Bms:PasswordHasher:IterationCount=1000",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.EntityFrameworkCore=Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            args.Add($"--{key}={value}");
        }

        // BMS_TEST_LOGS=1 shows the server's log on the console (with timestamps) when a test needs diagnosing.
        var logs = Environment.GetEnvironmentVariable("BMS_TEST_LOGS") == "1";
        if (logs)
        {
            args.Add("--Logging:LogLevel:Bms=Debug");
            args.Add("--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information");
        }

        var app = BmsApplication.Create(args.ToArray(), b =>
        {
            b.Logging.ClearProviders();
            if (logs)
            {
                b.Logging.AddSimpleConsole(o => o.TimestampFormat = "HH:mm:ss.fff ");
            }

            if (dashboard)
            {
                b.AddBmsDashboard();
            }

            configure?.Invoke(b);
        });
        if (dashboard)
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
            Directory.Delete(directory, recursive: true);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BmsServerHost(app, directory, new Uri(address));
    }

    /// <summary>Runs <paramref name="action"/> with a fresh <see cref="BmsDbContext"/> that sees every store.</summary>
    internal async Task<T> WithDbAsync<T>(Func<BmsDbContext, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
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

    /// <summary>Signs in and returns the access token.</summary>
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

    public async Task<(System.Net.HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(HttpRequestMessage request)
    {
        var response = await Http.SendAsync(request).WaitAsync(Timeout);
        var text = await response.Content.ReadAsStringAsync().WaitAsync(Timeout);
        var json = string.IsNullOrEmpty(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, json, response);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            await app.StopAsync().WaitAsync(Timeout);
        }
        finally
        {
            await app.DisposeAsync();
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless; never fail a test on cleanup.
            }
        }
    }
}
