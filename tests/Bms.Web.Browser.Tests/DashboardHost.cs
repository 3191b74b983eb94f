using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Bms.Realtime.Server.Engine;
using Bms.Realtime.Server.Hosting;
using Bms.Realtime.Server.Namespaces;
using Bms.Server.Hosting;
using Bms.Server.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bms.Web.Browser.Tests;

/// <summary>
/// The real backend with the dashboard (what <c>dotnet run --project src/Bms.Server</c> starts), on real Kestrel at
/// 127.0.0.1 port 0 with a temporary SQLite file and the demo data. Deletes the file afterwards.
/// </summary>
public sealed class DashboardHost : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly string directory;
    private readonly DashboardHostOptions options;
    private WebApplication app;
    private bool running = true;

    private DashboardHost(WebApplication app, string directory, Uri baseAddress, DashboardHostOptions options)
    {
        this.app = app;
        this.directory = directory;
        this.options = options;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = Timeout };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    /// <summary>The real-time server, to act from the server side (e.g. drop every connection).</summary>
    public RealtimeServer Realtime => app.Services.GetRequiredService<RealtimeServer>();

    public static async Task<DashboardHost> StartAsync(DashboardHostOptions? options = null)
    {
        options ??= new DashboardHostOptions();
        var directory = Path.Combine(Path.GetTempPath(), "bms-browser-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        WebApplication app;
        try
        {
            app = await CreateAndStartAsync(directory, "http://127.0.0.1:0", options);
        }
        catch
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DashboardHost(app, directory, new Uri(address), options);
    }

    /// <summary>Stops the server (its sockets close, new connections are refused), keeping its database.</summary>
    public async Task StopServerAsync()
    {
        running = false;
        await app.StopAsync().WaitAsync(Timeout);
        await app.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }

    /// <summary>Changes a product's stock directly in the database (while the server is stopped: no event is sent).</summary>
    public async Task AddStockInDatabaseAsync(int productId, int delta)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "bms.db")}");
        await connection.OpenAsync().WaitAsync(Timeout);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE Inventory SET Quantity = Quantity + $delta WHERE ProductId = $id";
        command.Parameters.AddWithValue("$delta", delta);
        command.Parameters.AddWithValue("$id", productId);
        var rows = await command.ExecuteNonQueryAsync().WaitAsync(Timeout);
        if (rows != 1)
        {
            throw new InvalidOperationException($"Product {productId} has {rows} inventory rows.");
        }
    }

    /// <summary>Disables a user directly in the database and replaces its security stamp (while the server is stopped).</summary>
    public async Task DisableUserInDatabaseAsync(string username)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "bms.db")}");
        await connection.OpenAsync().WaitAsync(Timeout);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE Users SET IsActive = 0, SecurityStamp = $stamp WHERE Username = $name";
        command.Parameters.AddWithValue("$stamp", Guid.NewGuid().ToString("N"));
        command.Parameters.AddWithValue("$name", username);
        if (await command.ExecuteNonQueryAsync().WaitAsync(Timeout) != 1)
        {
            throw new InvalidOperationException($"No user {username}.");
        }
    }

    /// <summary>Starts the server again on the same address and database (after <see cref="StopServerAsync"/>).</summary>
    public async Task StartServerAgainAsync()
    {
        app = await CreateAndStartAsync(directory, BaseAddress.GetLeftPart(UriPartial.Authority), options);
        running = true;
    }

    private static async Task<WebApplication> CreateAndStartAsync(string directory, string url, DashboardHostOptions options)
    {
        string[] args =
        [
            "--urls", url,
            "--environment", "Development",
            // Static web assets (the stylesheet, blazor.web.js, the WebAssembly app) are found through the Bms.Server manifests.
            "--applicationName", "Bms.Server",
            $"--ConnectionStrings:Bms=Data Source={Path.Combine(directory, "bms.db")}",
            "--Bms:DemoData=true",
            // A visible reconnect: the first retry waits 2-3 s instead of 0.5-1.5 s.
            "--Bms:Dashboard:ReconnectionDelay=00:00:02",
            "--Bms:Dashboard:ReconnectionDelayMax=00:00:03",
            "--Logging:LogLevel:Default=Warning",
            "--DetailedErrors=true",
        ];

        var app = BmsApplication.Create(args, builder =>
        {
            builder.Logging.ClearProviders();
            builder.AddBmsDashboard();
            if (options.PingInterval is { } interval)
            {
                builder.Services.Configure<RealtimeServerOptions>(o =>
                {
                    o.PingInterval = interval;
                    o.PingTimeout = interval;
                });
            }
        });
        app.MapBmsDashboard();
        try
        {
            await app.StartAsync().WaitAsync(Timeout);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Closes the engine connection of every socket on <paramref name="namespace"/> without a namespace DISCONNECT
    /// (transport close, as when the network drops); returns how many engine connections were closed.
    /// </summary>
    public async Task<int> DropConnectionsAsync(string @namespace)
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

        await Task.Yield();
        return closed;
    }

    /// <summary>Completes when a socket on <paramref name="namespace"/> is in <paramref name="room"/>.</summary>
    public async Task WaitForRoomAsync(string @namespace, string room)
    {
        while (!Realtime.Of(@namespace).Sockets.Values.Any(s => s.Connected && s.Rooms.Contains(room)))
        {
            await Task.Delay(50);
        }
    }

    /// <summary>Signs in through the API and returns the access token.</summary>
    public async Task<string> TokenAsync(string username)
    {
        using var response = await Http.PostAsJsonAsync("/api/auth/login", new { username, password = $"{username}123!" }).WaitAsync(Timeout);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Timeout);
        return body.GetProperty("accessToken").GetString()!;
    }

    /// <summary>Sends an authenticated JSON request and returns status and body.</summary>
    public async Task<(System.Net.HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await Http.SendAsync(request).WaitAsync(Timeout);
        var text = await response.Content.ReadAsStringAsync().WaitAsync(Timeout);
        return (response.StatusCode, string.IsNullOrEmpty(text) ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            if (running)
            {
                await app.StopAsync().WaitAsync(Timeout);
            }
        }
        finally
        {
            if (running)
            {
                await app.DisposeAsync();
            }

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
