using System.Net.Http.Json;
using System.Text.Json;
using Bms.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bms.Server.Tests.Infrastructure;

/// <summary>
/// The real backend over one SQLite file that survives stops and starts (each start gets a new loopback port), with a
/// JSON settings file the test can rewrite and reload while the server runs.
/// </summary>
public sealed class RestartableServer : IAsyncDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "bms-server-tests", Guid.NewGuid().ToString("N"));
    private readonly IDictionary<string, string> settings;
    private WebApplication? app;

    public RestartableServer(IDictionary<string, string> settings, string settingsJson = "{}")
    {
        this.settings = settings;
        Directory.CreateDirectory(directory);
        File.WriteAllText(SettingsPath, settingsJson);
    }

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public IServiceProvider Services => app?.Services ?? throw new InvalidOperationException("not running");

    private string SettingsPath => Path.Combine(directory, "routing.json");

    public async Task StartAsync()
    {
        var args = new List<string>
        {
            "--urls", "http://127.0.0.1:0",
            "--environment", "Development",
            $"--ConnectionStrings:Bms=Data Source={Path.Combine(directory, "bms.db")}",
            "--Bms:DemoData=true",
            "--Bms:PasswordHasher:IterationCount=1000",
            "--Logging:LogLevel:Default=Warning",
        };
        args.AddRange(settings.Select(s => $"--{s.Key}={s.Value}"));
        var created = BmsApplication.Create([.. args], b =>
        {
            b.Logging.ClearProviders();
            b.Configuration.AddJsonFile(SettingsPath, optional: false, reloadOnChange: false);
        });
        await created.StartAsync().WaitAsync(BmsServerHost.Timeout);
        app = created;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = BmsServerHost.Timeout };
    }

    /// <summary>Replaces the settings file and reloads the configuration of the running server.</summary>
    public void ReloadSettings(string settingsJson)
    {
        File.WriteAllText(SettingsPath, settingsJson);
        ((IConfigurationRoot)Services.GetRequiredService<IConfiguration>()).Reload();
    }

    public async Task StopAsync()
    {
        if (app is { } running)
        {
            app = null;
            Http.Dispose();
            using var cap = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await running.StopAsync(cap.Token).WaitAsync(BmsServerHost.Timeout);
            await running.DisposeAsync();
        }
    }

    public async Task<string> TokenAsync(string username)
    {
        using var response = await Http.PostAsJsonAsync("/api/auth/login", new { username, password = BmsServerHost.DemoPassword(username) })
            .WaitAsync(BmsServerHost.Timeout);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(BmsServerHost.Timeout)).GetProperty("accessToken").GetString()!;
    }

    public async Task<(System.Net.HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string token, object? body = null)
    {
        using var request = BmsServerHost.Request(method, path, token, body);
        using var response = await Http.SendAsync(request).WaitAsync(BmsServerHost.Timeout);
        var text = await response.Content.ReadAsStringAsync().WaitAsync(BmsServerHost.Timeout);
        return (response.StatusCode, string.IsNullOrEmpty(text) ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
