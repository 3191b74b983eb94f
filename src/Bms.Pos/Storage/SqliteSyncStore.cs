using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Bms.Pos.Storage;

/// <summary>
/// <see cref="ISyncStore"/> on one SQLite file (Microsoft.Data.Sqlite) in WAL mode with <c>synchronous=FULL</c> (a
/// committed sale survives a crash or power loss) and <c>busy_timeout</c>, so several processes can share the file.
/// Every write that must be atomic runs in a <c>BEGIN IMMEDIATE</c> transaction. Thread-safe: each call opens its own
/// (pooled) connection.
/// </summary>
/// <example>
/// <code>
/// var store = new SqliteSyncStore("/var/lib/bms/pos-001.db");
/// await store.InitializeAsync();
/// var sale = await store.RecordSaleAsync([new SaleRequestLine(productId: 1, quantity: 2)], DateTime.UtcNow);
/// </code>
/// </example>
public sealed partial class SqliteSyncStore : ISyncStore
{
    private const int BusyTimeoutMilliseconds = 10_000;
    private const int LogLimit = 1_000;
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    private readonly string _connectionString;
    private volatile PosDataFileException? _damaged;

    /// <summary>Creates a store on <paramref name="path"/> (created with its directory on <see cref="InitializeAsync"/>).</summary>
    public SqliteSyncStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        }.ToString();
    }

    /// <summary>The full path of the data file.</summary>
    public string Path { get; }

    /// <summary>
    /// Checks an existing data file without changing it: opens it read-only and runs <c>PRAGMA quick_check</c>. A
    /// missing or empty file passes (it is a new terminal). Thread-safe.
    /// </summary>
    /// <exception cref="PosDataFileException">The file is not a database, is truncated or is corrupted.</exception>
    public static async Task VerifyFileAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        var file = new FileInfo(fullPath);
        if (!file.Exists || file.Length == 0)
        {
            return;
        }

        var readOnly = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        }.ToString();
        try
        {
            await using var connection = new SqliteConnection(readOnly);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA busy_timeout={BusyTimeoutMilliseconds}; PRAGMA quick_check(5);";
            var problems = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                do
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        if (reader.FieldCount > 0 && reader.GetValue(0) is string line && line != "ok")
                        {
                            problems.Add(line);
                        }
                    }
                }
                while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
            }

            if (problems.Count > 0)
            {
                throw new PosDataFileException(fullPath, string.Join("; ", problems));
            }
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase)
        {
            throw new PosDataFileException(fullPath, ex.SqliteErrorCode == SqliteNotADatabase ? "not a database" : "corrupted or truncated", ex);
        }
    }

    /// <inheritdoc />
    /// <exception cref="PosDataFileException">The existing file is damaged; it is not changed, and every later call of
    /// this store throws the same exception.</exception>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await VerifyFileAsync(Path, cancellationToken).ConfigureAwait(false);
        }
        catch (PosDataFileException ex)
        {
            _damaged = ex;
            throw;
        }

        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
        await using var tx = connection.BeginTransaction(deferred: false);
        await ExecuteAsync(connection, Schema, cancellationToken, tx).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<TerminalIdentity?> GetIdentityAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT terminal_id, store_id, name, server_url, access_token, token_expires_at FROM identity WHERE slot = 1";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new TerminalIdentity(
            reader.GetString(0), reader.GetInt32(1), NullableString(reader, 2), reader.GetString(3), NullableString(reader, 4),
            reader.IsDBNull(5) ? null : ParseTime(reader.GetString(5)));
    }

    /// <inheritdoc />
    public async Task SaveIdentityAsync(TerminalIdentity identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO identity (slot, terminal_id, store_id, name, server_url, access_token, token_expires_at)
            VALUES (1, $terminal, $store, $name, $url, $token, $expires)
            ON CONFLICT(slot) DO UPDATE SET terminal_id = excluded.terminal_id, store_id = excluded.store_id,
                name = excluded.name, server_url = excluded.server_url, access_token = excluded.access_token,
                token_expires_at = excluded.token_expires_at
            """;
        command.Parameters.AddWithValue("$terminal", identity.TerminalId);
        command.Parameters.AddWithValue("$store", identity.StoreId);
        command.Parameters.AddWithValue("$name", (object?)identity.Name ?? DBNull.Value);
        command.Parameters.AddWithValue("$url", identity.ServerUrl);
        command.Parameters.AddWithValue("$token", (object?)identity.AccessToken ?? DBNull.Value);
        command.Parameters.AddWithValue("$expires", identity.TokenExpiresAt is { } e ? FormatTime(e) : DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<string?> GetValueAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    /// <inheritdoc />
    public async Task SetValueAsync(string key, string value, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO meta (key, value) VALUES ($key, $value) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$value", value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<StoreCounts> GetCountsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT COUNT(*) FROM outbox WHERE state = 0),
                   (SELECT COUNT(DISTINCT product_id) FROM pending_product_changes),
                   (SELECT COUNT(*) FROM outbox WHERE state = 1),
                   (SELECT COUNT(*) FROM notifications WHERE is_read = 0)
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new StoreCounts(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3));
    }

    /// <inheritdoc />
    public async Task<LeaseResult> TryAcquireLeaseAsync(string owner, TimeSpan duration, DateTime now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // BEGIN IMMEDIATE takes the write lock before reading, so two processes cannot both see the lease as free.
        await using var tx = connection.BeginTransaction(deferred: false);
        string? holder = null;
        DateTime? expires = null;
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = tx;
            read.CommandText = "SELECT owner, expires_at FROM sync_lease WHERE name = 'sync'";
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                holder = reader.GetString(0);
                expires = ParseTime(reader.GetString(1));
            }
        }

        if (holder is not null && holder != owner && expires > now && IsOwnerAlive(holder))
        {
            await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return new LeaseResult(false, holder, expires);
        }

        var until = now + duration;
        await using (var write = connection.CreateCommand())
        {
            write.Transaction = tx;
            write.CommandText = """
                INSERT INTO sync_lease (name, owner, expires_at) VALUES ('sync', $owner, $expires)
                ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
                """;
            write.Parameters.AddWithValue("$owner", owner);
            write.Parameters.AddWithValue("$expires", FormatTime(until));
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new LeaseResult(true, owner, until);
    }

    /// <inheritdoc />
    public async Task ReleaseLeaseAsync(string owner, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM sync_lease WHERE name = 'sync' AND owner = $owner";
        command.Parameters.AddWithValue("$owner", owner);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A lease owner is <c>machine:pid:nonce</c>. An owner on this machine whose process is gone (killed mid-sync) no
    /// longer blocks the lease; owners elsewhere are trusted until their lease expires.
    /// </summary>
    internal static bool IsOwnerAlive(string owner)
    {
        // machine:pid:nonce, parsed from the right (a machine name may contain ':').
        var nonceStart = owner.LastIndexOf(':');
        var pidStart = nonceStart > 0 ? owner.LastIndexOf(':', nonceStart - 1) : -1;
        if (pidStart <= 0 || owner[..pidStart] != Environment.MachineName
            || !int.TryParse(owner.AsSpan(pidStart + 1, nonceStart - pidStart - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return true;
        }

        if (pid == Environment.ProcessId)
        {
            return true;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_damaged is { } damaged)
        {
            // Never write to a file found damaged (not even the lease release on shutdown).
            throw new PosDataFileException(damaged.Path, damaged.Reason, damaged);
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, $"PRAGMA busy_timeout={BusyTimeoutMilliseconds}; PRAGMA synchronous=FULL;", cancellationToken)
                .ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, SqliteTransaction? tx = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    internal static string FormatTime(DateTime value) =>
        (value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc))
            .ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    internal static DateTime ParseTime(string value) =>
        DateTime.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    private static string FormatDecimal(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static decimal ParseDecimal(string value) => decimal.Parse(value, NumberStyles.Number, CultureInfo.InvariantCulture);

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS identity (
            slot INTEGER PRIMARY KEY CHECK (slot = 1), terminal_id TEXT NOT NULL, store_id INTEGER NOT NULL, name TEXT,
            server_url TEXT NOT NULL, access_token TEXT, token_expires_at TEXT);
        CREATE TABLE IF NOT EXISTS products (
            id INTEGER PRIMARY KEY, sku TEXT NOT NULL, name TEXT NOT NULL, price TEXT NOT NULL,
            server_quantity INTEGER NOT NULL, low_stock_threshold INTEGER NOT NULL, store_id INTEGER NOT NULL,
            updated_at TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_products_sku ON products (sku COLLATE NOCASE);
        CREATE TABLE IF NOT EXISTS sales (
            id TEXT PRIMARY KEY, receipt_number TEXT NOT NULL UNIQUE, store_id INTEGER NOT NULL, created_at TEXT NOT NULL,
            total TEXT NOT NULL, lines_json TEXT NOT NULL, synced_at TEXT, server_transaction_id TEXT, sync_status TEXT);
        CREATE TABLE IF NOT EXISTS outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, receipt_number TEXT NOT NULL,
            payload TEXT NOT NULL, state INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT, created_at TEXT NOT NULL, last_attempt_at TEXT);
        CREATE INDEX IF NOT EXISTS ix_outbox_state ON outbox (state, seq);
        CREATE TABLE IF NOT EXISTS pending_product_changes (
            sale_id TEXT NOT NULL, product_id INTEGER NOT NULL, delta INTEGER NOT NULL, PRIMARY KEY (sale_id, product_id));
        CREATE INDEX IF NOT EXISTS ix_pending_product ON pending_product_changes (product_id);
        CREATE TABLE IF NOT EXISTS sync_log (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, kind TEXT NOT NULL, message TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS notifications (
            id TEXT PRIMARY KEY, type TEXT NOT NULL, title TEXT NOT NULL, message TEXT NOT NULL, severity TEXT NOT NULL,
            received_at TEXT NOT NULL, is_read INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX IF NOT EXISTS ix_notifications_received ON notifications (received_at);
        CREATE TABLE IF NOT EXISTS sync_lease (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at TEXT NOT NULL);
        """;
}
