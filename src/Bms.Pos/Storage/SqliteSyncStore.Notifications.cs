using Microsoft.Data.Sqlite;

namespace Bms.Pos.Storage;

public sealed partial class SqliteSyncStore
{
    /// <inheritdoc />
    public async Task AppendLogAsync(string kind, string message, DateTime now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(message);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT INTO sync_log (at, kind, message) VALUES ($at, $kind, $message);
            DELETE FROM sync_log WHERE id <= (SELECT MAX(id) FROM sync_log) - {LogLimit};
            """;
        command.Parameters.AddWithValue("$at", FormatTime(now));
        command.Parameters.AddWithValue("$kind", kind);
        command.Parameters.AddWithValue("$message", message);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SyncLogEntry>> GetLogAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, at, kind, message FROM sync_log ORDER BY id DESC LIMIT $limit";
        command.Parameters.AddWithValue("$limit", limit);
        var list = new List<SyncLogEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new SyncLogEntry(reader.GetInt64(0), ParseTime(reader.GetString(1)), reader.GetString(2), reader.GetString(3)));
        }

        return list;
    }

    /// <inheritdoc />
    public async Task<bool> AddNotificationAsync(PosNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO notifications (id, type, title, message, severity, received_at, is_read)
            VALUES ($id, $type, $title, $message, $severity, $received, $read) ON CONFLICT(id) DO NOTHING
            """;
        command.Parameters.AddWithValue("$id", notification.Id);
        command.Parameters.AddWithValue("$type", notification.Type);
        command.Parameters.AddWithValue("$title", notification.Title);
        command.Parameters.AddWithValue("$message", notification.Message);
        command.Parameters.AddWithValue("$severity", notification.Severity);
        command.Parameters.AddWithValue("$received", FormatTime(notification.ReceivedAt));
        command.Parameters.AddWithValue("$read", notification.IsRead ? 1 : 0);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PosNotification>> GetNotificationsAsync(bool unreadOnly, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, type, title, message, severity, received_at, is_read FROM notifications"
            + (unreadOnly ? " WHERE is_read = 0" : "") + " ORDER BY received_at DESC, rowid DESC LIMIT $limit";
        command.Parameters.AddWithValue("$limit", limit);
        var list = new List<PosNotification>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new PosNotification(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                ParseTime(reader.GetString(5)), reader.GetInt32(6) != 0));
        }

        return list;
    }

    /// <inheritdoc />
    public async Task<int> MarkNotificationsReadAsync(string? id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = id is null
            ? "UPDATE notifications SET is_read = 1 WHERE is_read = 0"
            : "UPDATE notifications SET is_read = 1 WHERE is_read = 0 AND id = $id";
        if (id is not null)
        {
            command.Parameters.AddWithValue("$id", id);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
