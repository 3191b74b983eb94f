namespace Bms.Cluster.Tests;

/// <summary>Notifications, their per-user read state and the stores' currency on PostgreSQL, shared by two nodes.</summary>
public sealed class NotificationClusterTests(ClusterServices services) : IClassFixture<ClusterServices>
{
    [ClusterFact]
    public async Task ALowStockAlertRaisedOnNodeAIsListedOnNodeBAndItsReadStateIsShared()
    {
        var database = services.NewDatabase();
        await using var a = await ServerNode.StartAsync("A", database, services.Redis.Configuration).WaitAsync(TimeSpan.FromMinutes(2));
        await using var b = await ServerNode.StartAsync("B", database, services.Redis.Configuration).WaitAsync(TimeSpan.FromMinutes(2));
        var manager = await a.LoginAsync("manager", "manager123!");
        var admin = await b.LoginAsync("admin", "admin123!");

        // Product 1: 40 in stock, threshold 10.
        var sale = await a.PostAsync("/api/transactions", new { storeId = 1, lines = new[] { new { productId = 1, quantity = 31 } } }, manager);
        await b.PostAsync("/api/notifications", new { title = "Shared", message = "Both nodes." }, admin);
        var onB = (await b.GetAsync("/api/notifications", manager)).EnumerateArray().ToList();

        Assert.Equal("EUR", sale.GetProperty("currency").GetString());
        Assert.Equal(["system", "low-stock"], onB.Select(n => n.GetProperty("kind").GetString()));
        Assert.All(onB, n => Assert.False(n.GetProperty("read").GetBoolean()));

        await b.PostAsync($"/api/notifications/{onB[1].GetProperty("id").GetString()}/read", new { }, manager);
        var onA = (await a.GetAsync("/api/notifications", manager)).EnumerateArray().ToList();
        Assert.Equal([false, true], onA.Select(n => n.GetProperty("read").GetBoolean()));

        await a.PostAsync("/api/notifications/clear", new { }, manager);
        Assert.Equal(0, (await b.GetAsync("/api/notifications", manager)).GetArrayLength());
        Assert.Equal(2, (await b.GetAsync("/api/notifications", admin)).GetArrayLength());
        Assert.All((await a.GetAsync("/api/products", manager)).EnumerateArray(), p => Assert.Equal("EUR", p.GetProperty("currency").GetString()));
    }
}
