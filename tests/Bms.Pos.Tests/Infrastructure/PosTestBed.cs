using Microsoft.Data.Sqlite;

namespace Bms.Pos.Tests.Infrastructure;

/// <summary>A temporary directory with a backend server and helpers to run terminal processes against it.</summary>
internal sealed class PosTestBed : IAsyncDisposable
{
    public const string TerminalId = "POS-001";
    public const string Secret = "pos-secret-001";

    private PosTestBed(string directory)
    {
        Directory = directory;
        Server = BmsServerHost.Create(new BmsServerHostOptions { Directory = directory, Port = TestEnvironment.FreePort() });
        DataPath = Path.Combine(directory, "pos-001.db");
    }

    public string Directory { get; }

    public BmsServerHost Server { get; }

    public string DataPath { get; }

    public static PosTestBed Create()
    {
        var directory = Path.Combine(Path.GetTempPath(), "bms-pos-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        return new PosTestBed(directory);
    }

    /// <summary>Arguments for a terminal process on this bed's data file against <paramref name="server"/> (the backend by default).</summary>
    public string[] Args(Uri? server = null, params string[] extra) =>
    [
        "--server", (server ?? Server.Url).ToString(),
        "--terminal", TerminalId,
        "--secret", Secret,
        "--data", DataPath,
        "--retry-delay-ms", "100",
        "--retry-delay-max-ms", "500",
        "--request-timeout-ms", "20000",
        .. extra,
    ];

    /// <summary>The first start of a terminal, online: signs in and caches the catalogue.</summary>
    public async Task FirstStartAsync(Uri? server = null)
    {
        using var first = await TerminalProcess.RunAsync(Args(server, "--status"));
        Assert.True(first.ExitCode == 0, $"exit {first.ExitCode}: {first.StandardError}");
        Assert.True(first.Event("started").GetProperty("online").GetBoolean(), first.StandardError);
    }

    /// <summary>Runs a SQL query on the terminal's data file and returns the first column of the first row.</summary>
    public async Task<long> LocalScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DataPath};Pooling=False");
        await connection.OpenAsync().WaitAsync(TestTimeouts.Short);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync().WaitAsync(TestTimeouts.Short), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>All local sale ids.</summary>
    public async Task<HashSet<string>> LocalSaleIdsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={DataPath};Pooling=False");
        await connection.OpenAsync().WaitAsync(TestTimeouts.Short);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM sales";
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await using var reader = await command.ExecuteReaderAsync().WaitAsync(TestTimeouts.Short);
        while (await reader.ReadAsync().WaitAsync(TestTimeouts.Short))
        {
            set.Add(reader.GetString(0));
        }

        return set;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A killed child may still hold a file for a moment; the temp directory is cleaned up later.
        }
    }
}
