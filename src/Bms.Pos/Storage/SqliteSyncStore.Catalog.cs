using Microsoft.Data.Sqlite;

namespace Bms.Pos.Storage;

public sealed partial class SqliteSyncStore
{
    private const string ProductSelect = """
        SELECT p.id, p.sku, p.name, p.price,
               p.server_quantity + COALESCE((SELECT SUM(c.delta) FROM pending_product_changes c WHERE c.product_id = p.id), 0),
               p.server_quantity, p.low_stock_threshold, p.store_id, p.updated_at
        FROM products p
        """;

    /// <inheritdoc />
    public async Task<IReadOnlyList<CachedProduct>> GetProductsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = ProductSelect + " ORDER BY p.sku";
        return await ReadProductsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<CachedProduct?> FindProductAsync(string sku, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sku);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = ProductSelect + " WHERE p.sku = $sku COLLATE NOCASE";
        command.Parameters.AddWithValue("$sku", sku.Trim());
        var found = await ReadProductsAsync(command, cancellationToken).ConfigureAwait(false);
        return found.Count > 0 ? found[0] : null;
    }

    /// <inheritdoc />
    public async Task UpsertProductsAsync(IEnumerable<ProductDto> products, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(products);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = connection.BeginTransaction(deferred: false);
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = """
            INSERT INTO products (id, sku, name, price, server_quantity, low_stock_threshold, store_id, updated_at)
            VALUES ($id, $sku, $name, $price, $quantity, $threshold, $store, $updated)
            ON CONFLICT(id) DO UPDATE SET sku = excluded.sku, name = excluded.name, price = excluded.price,
                server_quantity = excluded.server_quantity, low_stock_threshold = excluded.low_stock_threshold,
                store_id = excluded.store_id, updated_at = excluded.updated_at
            """;
        var id = command.Parameters.Add("$id", SqliteType.Integer);
        var sku = command.Parameters.Add("$sku", SqliteType.Text);
        var name = command.Parameters.Add("$name", SqliteType.Text);
        var price = command.Parameters.Add("$price", SqliteType.Text);
        var quantity = command.Parameters.Add("$quantity", SqliteType.Integer);
        var threshold = command.Parameters.Add("$threshold", SqliteType.Integer);
        var store = command.Parameters.Add("$store", SqliteType.Integer);
        var updated = command.Parameters.Add("$updated", SqliteType.Text);
        foreach (var p in products)
        {
            id.Value = p.Id;
            sku.Value = p.Sku;
            name.Value = p.Name;
            price.Value = FormatDecimal(p.Price);
            quantity.Value = p.Quantity;
            threshold.Value = p.LowStockThreshold;
            store.Value = p.StoreId;
            updated.Value = FormatTime(p.UpdatedAt);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> SetServerQuantityAsync(int productId, int quantity, DateTime updatedAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE products SET server_quantity = $quantity, updated_at = $updated WHERE id = $id";
        command.Parameters.AddWithValue("$id", productId);
        command.Parameters.AddWithValue("$quantity", quantity);
        command.Parameters.AddWithValue("$updated", FormatTime(updatedAt));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    private static async Task<IReadOnlyList<CachedProduct>> ReadProductsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var list = new List<CachedProduct>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new CachedProduct(
                reader.GetInt32(0), reader.GetString(1), reader.GetString(2), ParseDecimal(reader.GetString(3)),
                reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7), ParseTime(reader.GetString(8))));
        }

        return list;
    }
}
