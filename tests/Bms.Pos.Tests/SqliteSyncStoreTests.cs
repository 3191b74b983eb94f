using Bms.Contracts;
using Bms.Pos.Storage;
using Microsoft.Data.Sqlite;

namespace Bms.Pos.Tests;

/// <summary>The local store on real SQLite files.</summary>
public sealed class SqliteSyncStoreTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string directory = Path.Combine(Path.GetTempPath(), "bms-pos-store-tests", Guid.NewGuid().ToString("N"));

    private string DataPath => Path.Combine(directory, "pos.db");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ASaleWritesItsOutboxItemAndProvisionalStockTogether()
    {
        var store = await CreateAsync();
        var sale = await store.RecordSaleAsync([new SaleRequestLine(1, 2), new SaleRequestLine(1, 1)], DateTime.UtcNow).WaitAsync(Timeout);

        Assert.Equal("POS-009-000001", sale.ReceiptNumber);
        Assert.Equal(3 * 18.90m, sale.Total);
        var pending = Assert.Single(await store.GetPendingAsync(10).WaitAsync(Timeout));
        Assert.Equal(sale.Id, pending.Id);
        var product = (await store.FindProductAsync("cof-001").WaitAsync(Timeout))!;
        Assert.Equal((37, 40), (product.Quantity, product.ServerQuantity));
        Assert.Equal(new StoreCounts(1, 1, 0, 0), await store.GetCountsAsync().WaitAsync(Timeout));

        // The server's own figure replaces the base; the unconfirmed sale still counts until it is accepted.
        await store.SetServerQuantityAsync(1, 30, DateTime.UtcNow).WaitAsync(Timeout);
        Assert.Equal(27, (await store.FindProductAsync("COF-001").WaitAsync(Timeout))!.Quantity);
        await store.ApplyOutcomesAsync([new SyncItemOutcome(sale.Id, SyncItemStatus.Accepted)], DateTime.UtcNow).WaitAsync(Timeout);
        Assert.Equal(30, (await store.FindProductAsync("COF-001").WaitAsync(Timeout))!.Quantity);
        Assert.Equal(new StoreCounts(0, 0, 0, 0), await store.GetCountsAsync().WaitAsync(Timeout));
    }

    [Fact]
    public async Task AnAcceptedSaleSwapsItsDeductionForTheServersFigureInOneStep()
    {
        var store = await CreateAsync();
        var sale = await store.RecordSaleAsync([new SaleRequestLine(1, 2)], DateTime.UtcNow).WaitAsync(Timeout);
        Assert.Equal(38, (await store.FindProductAsync("COF-001").WaitAsync(Timeout))!.Quantity);

        // The server applied the sale (40 - 2) and someone else sold 5 meanwhile: it answers 33. Taking that figure
        // while dropping the deduction leaves no moment where the sale is counted twice (31) or not at all (40).
        await store.ApplyOutcomesAsync([new SyncItemOutcome(sale.Id, SyncItemStatus.Accepted, Stock: [new ServerStock(1, 33)])], DateTime.UtcNow)
            .WaitAsync(Timeout);
        var product = (await store.FindProductAsync("COF-001").WaitAsync(Timeout))!;
        Assert.Equal((33, 33), (product.Quantity, product.ServerQuantity));

        // A rejected sale's reported stock (if any) is ignored: its deduction stays until it is retried or discarded.
        var second = await store.RecordSaleAsync([new SaleRequestLine(1, 1)], DateTime.UtcNow).WaitAsync(Timeout);
        await store.ApplyOutcomesAsync([new SyncItemOutcome(second.Id, SyncItemStatus.Rejected, "forbidden", Stock: [new ServerStock(1, 10)])], DateTime.UtcNow)
            .WaitAsync(Timeout);
        product = (await store.FindProductAsync("COF-001").WaitAsync(Timeout))!;
        Assert.Equal((32, 33), (product.Quantity, product.ServerQuantity));
    }

    [Fact]
    public async Task ASaleOfAnUnknownProductLeavesNothingBehind()
    {
        var store = await CreateAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.RecordSaleAsync([new SaleRequestLine(1, 1), new SaleRequestLine(99, 1)], DateTime.UtcNow))
            .WaitAsync(Timeout);
        Assert.Equal(new StoreCounts(0, 0, 0, 0), await store.GetCountsAsync().WaitAsync(Timeout));
        var next = await store.RecordSaleAsync([new SaleRequestLine(1, 1)], DateTime.UtcNow).WaitAsync(Timeout);
        Assert.Equal("POS-009-000001", next.ReceiptNumber);
    }

    [Fact]
    public async Task ConcurrentSalesFromTwoStoresOnOneFileGetDistinctReceipts()
    {
        var first = await CreateAsync();
        var second = new SqliteSyncStore(DataPath);
        var sales = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            (i % 2 == 0 ? first : second).RecordSaleAsync([new SaleRequestLine(1, 1)], DateTime.UtcNow))).WaitAsync(Timeout);
        Assert.Equal(40, sales.Select(s => s.ReceiptNumber).Distinct().Count());
        Assert.Equal(40, (await first.GetPendingAsync(100).WaitAsync(Timeout)).Count);
    }

    [Fact]
    public async Task TheSyncLeaseHasOneHolderUntilItExpiresOrItsProcessIsGone()
    {
        var store = await CreateAsync();
        var other = new SqliteSyncStore(DataPath);
        var now = DateTime.UtcNow;
        var mine = $"{Environment.MachineName}:{Environment.ProcessId}:a";
        var theirs = $"{Environment.MachineName}:{Environment.ProcessId}:b";

        Assert.True((await store.TryAcquireLeaseAsync(mine, TimeSpan.FromSeconds(30), now).WaitAsync(Timeout)).Acquired);
        var refused = await other.TryAcquireLeaseAsync(theirs, TimeSpan.FromSeconds(30), now).WaitAsync(Timeout);
        Assert.False(refused.Acquired);
        Assert.Equal(mine, refused.Holder);
        Assert.True((await store.TryAcquireLeaseAsync(mine, TimeSpan.FromSeconds(30), now.AddSeconds(1)).WaitAsync(Timeout)).Acquired);
        Assert.True((await other.TryAcquireLeaseAsync(theirs, TimeSpan.FromSeconds(30), now.AddSeconds(40)).WaitAsync(Timeout)).Acquired);

        await other.ReleaseLeaseAsync(theirs).WaitAsync(Timeout);
        var dead = $"{Environment.MachineName}:{int.MaxValue - 7}:c";
        Assert.True((await store.TryAcquireLeaseAsync(dead, TimeSpan.FromMinutes(5), now).WaitAsync(Timeout)).Acquired);
        Assert.True((await other.TryAcquireLeaseAsync(theirs, TimeSpan.FromSeconds(30), now).WaitAsync(Timeout)).Acquired);
    }

    [Fact]
    public async Task RejectedItemsStayUntilRetriedOrDiscarded()
    {
        var store = await CreateAsync();
        var a = await store.RecordSaleAsync([new SaleRequestLine(1, 1)], DateTime.UtcNow).WaitAsync(Timeout);
        var b = await store.RecordSaleAsync([new SaleRequestLine(1, 1)], DateTime.UtcNow).WaitAsync(Timeout);
        await store.ApplyOutcomesAsync(
            [new SyncItemOutcome(a.Id, SyncItemStatus.Rejected, "validation_failed: x"), new SyncItemOutcome(b.Id, SyncItemStatus.Rejected, "forbidden")],
            DateTime.UtcNow).WaitAsync(Timeout);
        Assert.Equal(new StoreCounts(0, 1, 2, 0), await store.GetCountsAsync().WaitAsync(Timeout));
        Assert.Equal("validation_failed: x", (await store.GetRejectedAsync().WaitAsync(Timeout))[0].LastError);

        Assert.True(await store.RetryRejectedAsync(a.Id).WaitAsync(Timeout));
        Assert.True(await store.DiscardRejectedAsync(b.Id).WaitAsync(Timeout));
        Assert.False(await store.DiscardRejectedAsync(a.Id).WaitAsync(Timeout));
        Assert.Equal(new StoreCounts(1, 1, 0, 0), await store.GetCountsAsync().WaitAsync(Timeout));
        Assert.Equal(39, (await store.FindProductAsync("COF-001").WaitAsync(Timeout))!.Quantity);
    }

    [Fact]
    public async Task NotificationsAreStoredOnceAndTrackReadState()
    {
        var store = await CreateAsync();
        var n = new PosNotification("evt-1", "system:notification", "Hello", "World", "info", DateTime.UtcNow, false);
        Assert.True(await store.AddNotificationAsync(n).WaitAsync(Timeout));
        Assert.False(await store.AddNotificationAsync(n).WaitAsync(Timeout));
        Assert.True(await store.AddNotificationAsync(n with { Id = "evt-2" }).WaitAsync(Timeout));
        Assert.Equal(2, (await store.GetCountsAsync().WaitAsync(Timeout)).UnreadNotifications);
        Assert.Equal(1, await store.MarkNotificationsReadAsync("evt-1").WaitAsync(Timeout));
        Assert.Equal("evt-2", Assert.Single(await store.GetNotificationsAsync(unreadOnly: true, 10).WaitAsync(Timeout)).Id);
        Assert.Equal(1, await store.MarkNotificationsReadAsync(null).WaitAsync(Timeout));
        Assert.Empty(await store.GetNotificationsAsync(unreadOnly: true, 10).WaitAsync(Timeout));
    }

    private async Task<SqliteSyncStore> CreateAsync()
    {
        var store = new SqliteSyncStore(DataPath);
        await store.InitializeAsync().WaitAsync(Timeout);
        await store.SaveIdentityAsync(new TerminalIdentity("POS-009", 1, "Till 9", "http://127.0.0.1:1/", null, null)).WaitAsync(Timeout);
        await store.UpsertProductsAsync(
        [
            new ProductDto(1, "COF-001", "Espresso Beans 1kg", 18.90m, 40, 10, 1, DateTime.UtcNow),
            new ProductDto(2, "TEA-001", "Green Tea", 6.20m, 35, 10, 1, DateTime.UtcNow),
        ]).WaitAsync(Timeout);
        return store;
    }
}
