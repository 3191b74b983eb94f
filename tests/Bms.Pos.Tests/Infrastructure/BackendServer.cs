using System.Net.Http.Json;
using System.Text.Json;
using Bms.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Bms.Pos.Tests.Infrastructure;

/// <summary>
/// The real backend (<see cref="BmsApplication"/>, real Kestrel) on a fixed loopback port picked once, over a SQLite
/// file in a temporary directory, so it can be stopped and started again at the same address with the same data.
/// </summary>
internal sealed class BackendServer : IAsyncDisposable
{
    private WebApplication? app;

    public BackendServer(string directory)
    {
        Directory = directory;
        Port = FreePort.Pick();
    }

    public string Directory { get; }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}");

    public string DatabasePath => Path.Combine(Directory, "bms.db");

    public bool IsRunning => app is not null;

    /// <summary>The running application's services (for driving backend features that have no HTTP surface).</summary>
    public IServiceProvider Services => app?.Services ?? throw new InvalidOperationException("The backend is not running.");

    public async Task StartAsync()
    {
        if (app is not null)
        {
            return;
        }

        var args = new[]
        {
            "--urls", Url.ToString().TrimEnd('/'),
            "--environment", "Development",
            $"--ConnectionStrings:Bms=Data Source={DatabasePath}",
            "--Bms:DemoData=true",
            "--Bms:PasswordHasher:IterationCount=1000",
            "--Logging:LogLevel:Default=Warning",
        };
        var created = BmsApplication.Create(args, b => b.Logging.ClearProviders());
        try
        {
            await created.StartAsync().WaitAsync(TestTimeouts.Step);
        }
        catch
        {
            await created.DisposeAsync();
            throw;
        }

        app = created;
    }

    public async Task StopAsync()
    {
        if (app is { } running)
        {
            app = null;
            // Graceful stop is capped: open WebSocket sessions would otherwise hold Kestrel's shutdown for its full timeout.
            using var cap = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await running.StopAsync(cap.Token).WaitAsync(TestTimeouts.Short);
            await running.DisposeAsync();
        }
    }

    /// <summary>The sales recorded for a terminal: (transaction id, idempotency key) pairs.</summary>
    public async Task<List<(string Id, string? Key)>> TransactionsOfAsync(string terminalId)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync().WaitAsync(TestTimeouts.Short);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id, IdempotencyKey FROM Transactions WHERE TerminalId = $t";
        command.Parameters.AddWithValue("$t", terminalId);
        var list = new List<(string, string?)>();
        await using var reader = await command.ExecuteReaderAsync().WaitAsync(TestTimeouts.Short);
        while (await reader.ReadAsync().WaitAsync(TestTimeouts.Short))
        {
            list.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }

        return list;
    }

    /// <summary>Signs in as the demo terminal over HTTP and returns the token.</summary>
    public async Task<string> TerminalTokenAsync(HttpClient http)
    {
        using var response = await http.PostAsJsonAsync(new Uri(Url, "/api/auth/terminal"), new { terminalId = "POS-001", secret = "pos-secret-001" })
            .WaitAsync(TestTimeouts.Short);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(TestTimeouts.Short);
        return body.GetProperty("accessToken").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        SqliteConnection.ClearAllPools();
    }
}
