using System.Globalization;
using Bms.Pos.Storage;
using Microsoft.Data.Sqlite;

namespace Bms.Pos.Diagnostics;

public static partial class PosDiagnostics
{
    /// <summary>Read-only looks at the terminal's SQLite data file: nothing here writes to it.</summary>
    private static class LocalDataFile
    {
        /// <summary>The tables <see cref="SqliteSyncStore"/> creates; a file missing one is from another program or damaged.</summary>
        private static readonly string[] ExpectedTables =
            ["meta", "identity", "products", "sales", "outbox", "pending_product_changes", "sync_log", "notifications", "sync_lease"];

        public static async Task<TerminalIdentity?> TryReadIdentityAsync(string path, CancellationToken cancellationToken)
        {
            if (!File.Exists(path))
            {
                return null;
            }

            try
            {
                await using var connection = await OpenAsync(path, cancellationToken).ConfigureAwait(false);
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT terminal_id, store_id, access_token, token_expires_at FROM identity WHERE slot = 1";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                return new TerminalIdentity(reader.GetString(0), reader.GetInt32(1), null, string.Empty,
                    reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.IsDBNull(3) ? null : SqliteSyncStore.ParseTime(reader.GetString(3)));
            }
            catch (SqliteException)
            {
                // A damaged or foreign file: the data-file step reports it.
                return null;
            }
        }

        public static async Task<Outcome> CheckAsync(string path, CancellationToken cancellationToken)
        {
            if (!File.Exists(path))
            {
                return Outcome.Fail($"no data file at {path}: the terminal has never started with this --data path");
            }

            try
            {
                await using var connection = await OpenAsync(path, cancellationToken).ConfigureAwait(false);
                var integrity = new List<string>();
                await using (var check = connection.CreateCommand())
                {
                    check.CommandText = "PRAGMA integrity_check";
                    await using var reader = await check.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        integrity.Add(reader.GetString(0));
                    }
                }

                var version = Convert.ToInt64(await ScalarAsync(connection, "PRAGMA user_version", cancellationToken).ConfigureAwait(false),
                    CultureInfo.InvariantCulture);
                var tables = new HashSet<string>(StringComparer.Ordinal);
                await using (var list = connection.CreateCommand())
                {
                    list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
                    await using var reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        tables.Add(reader.GetString(0));
                    }
                }

                var missing = ExpectedTables.Where(t => !tables.Contains(t)).ToArray();
                var data = new Dictionary<string, object?>
                {
                    ["integrity"] = string.Join("; ", integrity),
                    ["schemaVersion"] = version,
                    ["missingTables"] = missing,
                    ["bytes"] = new FileInfo(path).Length,
                };
                if (integrity is not ["ok"])
                {
                    return Outcome.Fail($"PRAGMA integrity_check reported: {string.Join("; ", integrity.Take(5))}", data);
                }

                return missing.Length == 0
                    ? Outcome.Pass($"integrity ok, schema version {version}, all {ExpectedTables.Length} tables present", data)
                    : Outcome.Fail($"integrity ok but tables missing: {string.Join(", ", missing)}", data);
            }
            catch (SqliteException ex)
            {
                return Outcome.Fail($"cannot read {path}: {ex.Message}");
            }
        }

        public static async Task<Outcome> OutboxAsync(string path, TimeSpan ageWarning, TimeProvider time, CancellationToken cancellationToken)
        {
            await using var connection = await OpenAsync(path, cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT (SELECT COUNT(*) FROM outbox WHERE state = {(int)OutboxItemState.Pending}),
                       (SELECT COUNT(*) FROM outbox WHERE state = {(int)OutboxItemState.Rejected}),
                       (SELECT MIN(created_at) FROM outbox WHERE state = {(int)OutboxItemState.Pending})
                """;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var pending = reader.GetInt64(0);
            var rejected = reader.GetInt64(1);
            TimeSpan? age = reader.IsDBNull(2) ? null : time.GetUtcNow().UtcDateTime - SqliteSyncStore.ParseTime(reader.GetString(2));
            var data = new Dictionary<string, object?>
            {
                ["pending"] = pending,
                ["rejected"] = rejected,
                ["oldestPendingAgeSeconds"] = age is { } a ? Math.Round(a.TotalSeconds, 1) : null,
            };
            var text = age is { } oldest
                ? string.Create(CultureInfo.InvariantCulture, $"{pending} pending (oldest {FormatAge(oldest)} old), {rejected} rejected")
                : $"no pending sales, {rejected} rejected";
            if (age > ageWarning)
            {
                return Outcome.Warn($"{text}: sales are not reaching the server", data);
            }

            return rejected > 0 ? Outcome.Warn($"{text}: a manager must retry or discard the rejected sales", data) : Outcome.Pass(text, data);
        }

        private static string FormatAge(TimeSpan age) => age.TotalSeconds < 120
            ? string.Create(CultureInfo.InvariantCulture, $"{age.TotalSeconds:0} s")
            : age.TotalMinutes < 120 ? string.Create(CultureInfo.InvariantCulture, $"{age.TotalMinutes:0} min")
            : string.Create(CultureInfo.InvariantCulture, $"{age.TotalHours:0.#} h");

        private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }

        private static async Task<SqliteConnection> OpenAsync(string path, CancellationToken cancellationToken)
        {
            // Read-only and unpooled: the self-test can neither change the outbox nor keep the file open afterwards.
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = SqliteOpenMode.ReadOnly,
                Pooling = false,
                DefaultTimeout = 10,
            }.ToString());
            try
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                return connection;
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }
}
