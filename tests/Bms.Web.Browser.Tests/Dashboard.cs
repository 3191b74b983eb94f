using Microsoft.Data.Sqlite;

namespace Bms.Web.Browser.Tests;

/// <summary>
/// The real backend with the dashboard (what <c>dotnet run --project src/Bms.Server</c> starts) as the kit's
/// <see cref="BmsServerHost"/>, with a visible reconnect: the first retry waits 2-3 s instead of 0.5-1.5 s.
/// </summary>
internal static class Dashboard
{
    /// <summary>Starts the backend with the dashboard; <paramref name="pingInterval"/> sets the real-time heartbeat (interval and timeout).</summary>
    public static Task<BmsServerHost> StartAsync(TimeSpan? pingInterval = null) =>
        BmsServerHost.StartAsync(new BmsServerHostOptions
        {
            Dashboard = true,
            PingInterval = pingInterval,
            Settings = new Dictionary<string, string>
            {
                ["Bms:Dashboard:ReconnectionDelay"] = "00:00:02",
                ["Bms:Dashboard:ReconnectionDelayMax"] = "00:00:03",
            },
        });

    /// <summary>Changes a product's stock directly in the database (while the server is stopped: no event is sent).</summary>
    public static async Task AddStockInDatabaseAsync(this BmsServerHost host, int productId, int delta)
    {
        await using var connection = new SqliteConnection($"Data Source={host.DatabasePath}");
        await connection.OpenAsync().WaitAsync(BmsServerHost.Timeout);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE Inventory SET Quantity = Quantity + $delta WHERE ProductId = $id";
        command.Parameters.AddWithValue("$delta", delta);
        command.Parameters.AddWithValue("$id", productId);
        var rows = await command.ExecuteNonQueryAsync().WaitAsync(BmsServerHost.Timeout);
        if (rows != 1)
        {
            throw new InvalidOperationException($"Product {productId} has {rows} inventory rows.");
        }
    }

    /// <summary>Disables a user directly in the database and replaces its security stamp (while the server is stopped).</summary>
    public static async Task DisableUserInDatabaseAsync(this BmsServerHost host, string username)
    {
        await using var connection = new SqliteConnection($"Data Source={host.DatabasePath}");
        await connection.OpenAsync().WaitAsync(BmsServerHost.Timeout);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE Users SET IsActive = 0, SecurityStamp = $stamp WHERE Username = $name";
        command.Parameters.AddWithValue("$stamp", Guid.NewGuid().ToString("N"));
        command.Parameters.AddWithValue("$name", username);
        if (await command.ExecuteNonQueryAsync().WaitAsync(BmsServerHost.Timeout) != 1)
        {
            throw new InvalidOperationException($"No user {username}.");
        }
    }
}
