using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Bms.Pos.Tests.Infrastructure;

/// <summary>What the POS tests read from the backend's database and API.</summary>
internal static class BackendQueries
{
    /// <summary>The sales recorded for a terminal: (transaction id, idempotency key) pairs.</summary>
    public static async Task<List<(string Id, string? Key)>> TransactionsOfAsync(this BmsServerHost server, string terminalId)
    {
        await using var connection = new SqliteConnection($"Data Source={server.DatabasePath};Mode=ReadOnly;Pooling=False");
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

    /// <summary>Signs in as the demo terminal through <paramref name="http"/> and returns the token.</summary>
    public static async Task<string> TerminalTokenAsync(this BmsServerHost server, HttpClient http)
    {
        using var response = await http.PostAsJsonAsync(new Uri(server.Url, "/api/auth/terminal"), new { terminalId = "POS-001", secret = "pos-secret-001" })
            .WaitAsync(TestTimeouts.Short);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(TestTimeouts.Short);
        return body.GetProperty("accessToken").GetString()!;
    }
}
