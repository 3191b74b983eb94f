using System.Globalization;
using System.Text.Json;
using Bms.Pos.Sync;
using Microsoft.Data.Sqlite;

namespace Bms.Pos.Storage;

public sealed partial class SqliteSyncStore
{
    private const string OutboxSelect =
        "SELECT seq, id, receipt_number, payload, state, attempts, last_error, created_at, last_attempt_at FROM outbox";

    /// <inheritdoc />
    public async Task<LocalSale> RecordSaleAsync(IReadOnlyList<SaleRequestLine> lines, DateTime now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Count == 0 || lines.Any(l => l is null || l.Quantity < 1))
        {
            throw new ArgumentException("A sale needs at least one line, each with a quantity of 1 or more.", nameof(lines));
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // One IMMEDIATE transaction: receipt sequence, sale, outbox item and pending stock changes commit together.
        await using var tx = connection.BeginTransaction(deferred: false);

        var identity = await ReadIdentityAsync(connection, tx, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The terminal has never signed in; start it once while the server is reachable.");

        var saleLines = new List<SaleLine>(lines.Count);
        foreach (var line in lines)
        {
            await using var find = connection.CreateCommand();
            find.Transaction = tx;
            find.CommandText = "SELECT sku, name, price FROM products WHERE id = $id";
            find.Parameters.AddWithValue("$id", line.ProductId);
            await using var reader = await find.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException($"Product {line.ProductId} is not in the local catalogue.");
            }

            saleLines.Add(new SaleLine(line.ProductId, reader.GetString(0), reader.GetString(1), line.Quantity, ParseDecimal(reader.GetString(2))));
        }

        long sequence;
        await using (var next = connection.CreateCommand())
        {
            next.Transaction = tx;
            next.CommandText = """
                INSERT INTO meta (key, value) VALUES ('receipt_seq', '1')
                ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)
                RETURNING CAST(value AS INTEGER)
                """;
            sequence = Convert.ToInt64(await next.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        var sale = new LocalSale(
            Guid.CreateVersion7(new DateTimeOffset(DateTime.SpecifyKind(now, DateTimeKind.Utc))),
            string.Create(CultureInfo.InvariantCulture, $"{identity.TerminalId}-{sequence:D6}"),
            identity.StoreId,
            DateTime.SpecifyKind(now, DateTimeKind.Utc),
            saleLines.Sum(l => l.LineTotal),
            saleLines);
        var payload = JsonSerializer.Serialize(
            new PosSyncTransaction(sale.Id, sale.ReceiptNumber, sale.StoreId, sale.CreatedAt, sale.Total,
                saleLines.Select(l => new PosSyncLine(l.ProductId, l.Quantity, l.UnitPrice)).ToList()),
            PosJson.Options);

        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = tx;
            insert.CommandText = """
                INSERT INTO sales (id, receipt_number, store_id, created_at, total, lines_json)
                VALUES ($id, $receipt, $store, $created, $total, $lines);
                INSERT INTO outbox (id, receipt_number, payload, state, created_at) VALUES ($id, $receipt, $payload, 0, $created);
                """;
            insert.Parameters.AddWithValue("$id", sale.Id.ToString());
            insert.Parameters.AddWithValue("$receipt", sale.ReceiptNumber);
            insert.Parameters.AddWithValue("$store", sale.StoreId);
            insert.Parameters.AddWithValue("$created", FormatTime(sale.CreatedAt));
            insert.Parameters.AddWithValue("$total", FormatDecimal(sale.Total));
            insert.Parameters.AddWithValue("$lines", JsonSerializer.Serialize(saleLines, PosJson.Options));
            insert.Parameters.AddWithValue("$payload", payload);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var group in saleLines.GroupBy(l => l.ProductId))
        {
            await using var change = connection.CreateCommand();
            change.Transaction = tx;
            change.CommandText = "INSERT INTO pending_product_changes (sale_id, product_id, delta) VALUES ($sale, $product, $delta)";
            change.Parameters.AddWithValue("$sale", sale.Id.ToString());
            change.Parameters.AddWithValue("$product", group.Key);
            change.Parameters.AddWithValue("$delta", -group.Sum(l => l.Quantity));
            await change.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return sale;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OutboxItem>> GetPendingAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = OutboxSelect + " WHERE state = 0 ORDER BY seq LIMIT $limit";
        command.Parameters.AddWithValue("$limit", limit);
        return await ReadOutboxAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OutboxItem>> GetRejectedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = OutboxSelect + " WHERE state = 1 ORDER BY seq";
        return await ReadOutboxAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task MarkAttemptAsync(IEnumerable<Guid> ids, DateTime now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = connection.BeginTransaction(deferred: false);
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "UPDATE outbox SET attempts = attempts + 1, last_attempt_at = $now WHERE id = $id";
        var id = command.Parameters.Add("$id", SqliteType.Text);
        command.Parameters.AddWithValue("$now", FormatTime(now));
        foreach (var value in ids)
        {
            id.Value = value.ToString();
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task ApplyOutcomesAsync(IEnumerable<SyncItemOutcome> outcomes, DateTime now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = connection.BeginTransaction(deferred: false);
        foreach (var outcome in outcomes)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = tx;
            command.Parameters.AddWithValue("$id", outcome.Id.ToString());
            command.Parameters.AddWithValue("$now", FormatTime(now));
            command.Parameters.AddWithValue("$status", outcome.Status == SyncItemStatus.Accepted ? "accepted" : outcome.Status == SyncItemStatus.Duplicate ? "duplicate" : "rejected");
            command.Parameters.AddWithValue("$server", (object?)outcome.ServerTransactionId ?? DBNull.Value);
            command.Parameters.AddWithValue("$reason", (object?)outcome.Reason ?? "rejected");
            command.CommandText = outcome.Status == SyncItemStatus.Rejected
                ? """
                  UPDATE outbox SET state = 1, last_error = $reason WHERE id = $id;
                  UPDATE sales SET sync_status = $status WHERE id = $id;
                  """
                : """
                  DELETE FROM outbox WHERE id = $id;
                  DELETE FROM pending_product_changes WHERE sale_id = $id;
                  UPDATE sales SET synced_at = $now, sync_status = $status, server_transaction_id = COALESCE($server, id) WHERE id = $id;
                  """;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (outcome.Status != SyncItemStatus.Rejected && outcome.Stock is { } stock)
            {
                // The deduction just dropped is in the server's figure: take that figure in the same transaction.
                await using var update = connection.CreateCommand();
                update.Transaction = tx;
                update.CommandText = "UPDATE products SET server_quantity = $quantity WHERE id = $product";
                var product = update.Parameters.Add("$product", SqliteType.Integer);
                var quantity = update.Parameters.Add("$quantity", SqliteType.Integer);
                foreach (var level in stock)
                {
                    product.Value = level.ProductId;
                    quantity.Value = level.Quantity;
                    await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> RetryRejectedAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE outbox SET state = 0 WHERE id = $id AND state = 1";
        command.Parameters.AddWithValue("$id", id.ToString());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public async Task<bool> DiscardRejectedAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = connection.BeginTransaction(deferred: false);
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "DELETE FROM outbox WHERE id = $id AND state = 1";
        command.Parameters.AddWithValue("$id", id.ToString());
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            return false;
        }

        command.CommandText = """
            DELETE FROM pending_product_changes WHERE sale_id = $id;
            UPDATE sales SET sync_status = 'discarded' WHERE id = $id;
            """;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static async Task<TerminalIdentity?> ReadIdentityAsync(SqliteConnection connection, SqliteTransaction tx, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SELECT terminal_id, store_id, server_url FROM identity WHERE slot = 1";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new TerminalIdentity(reader.GetString(0), reader.GetInt32(1), null, reader.GetString(2), null, null)
            : null;
    }

    private static async Task<IReadOnlyList<OutboxItem>> ReadOutboxAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var list = new List<OutboxItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new OutboxItem(
                reader.GetInt64(0),
                Guid.TryParse(reader.GetString(1), out var id) ? id : Guid.Empty,
                reader.GetString(2),
                reader.GetString(3),
                (OutboxItemState)reader.GetInt32(4),
                reader.GetInt32(5),
                NullableString(reader, 6),
                ParseTime(reader.GetString(7)),
                reader.IsDBNull(8) ? null : ParseTime(reader.GetString(8))));
        }

        return list;
    }
}
