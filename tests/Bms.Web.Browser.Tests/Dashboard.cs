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
        var rows = await host.ExecuteInDatabaseAsync(
            "UPDATE Inventory SET Quantity = Quantity + $delta WHERE ProductId = $id", ("$delta", delta), ("$id", productId));
        if (rows != 1)
        {
            throw new InvalidOperationException($"Product {productId} has {rows} inventory rows.");
        }
    }

    /// <summary>Disables a user directly in the database and replaces its security stamp (while the server is stopped).</summary>
    public static async Task DisableUserInDatabaseAsync(this BmsServerHost host, string username)
    {
        var rows = await host.ExecuteInDatabaseAsync(
            "UPDATE Users SET IsActive = 0, SecurityStamp = $stamp WHERE Username = $name", ("$stamp", Guid.NewGuid().ToString("N")), ("$name", username));
        if (rows != 1)
        {
            throw new InvalidOperationException($"No user {username}.");
        }
    }

    /// <summary>Runs one statement on the server's SQLite file and returns the number of rows it changed.</summary>
    private static async Task<int> ExecuteInDatabaseAsync(this BmsServerHost host, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection($"Data Source={host.DatabasePath}");
        await connection.OpenAsync().WaitAsync(BmsServerHost.Timeout);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync().WaitAsync(BmsServerHost.Timeout);
    }
}
