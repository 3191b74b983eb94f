using System.Net;
using Bms.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bms.Server.Tests;

public sealed class BusinessApiTests
{
    [Fact]
    public async Task ProductsListHasTheFixedShapeAndTheTwelveDemoProductsWithStableIds()
    {
        await using var host = await BmsServerHost.StartAsync();
        var token = await host.TokenAsync("cashier");

        var (status, products, _) = await host.SendAsync(HttpMethod.Get, "/api/products", token);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(12, products.GetArrayLength());
        var first = products[0];
        foreach (var field in new[] { "id", "sku", "name", "price", "quantity", "lowStockThreshold", "storeId" })
        {
            Assert.True(first.TryGetProperty(field, out _), $"missing {field}");
        }

        Assert.Equal(Enumerable.Range(1, 12), products.EnumerateArray().Select(p => p.GetProperty("id").GetInt32()));
        Assert.Equal("COF-001", first.GetProperty("sku").GetString());
        Assert.Equal(18.90m, first.GetProperty("price").GetDecimal());
        Assert.Equal(40, first.GetProperty("quantity").GetInt32());
        Assert.Equal(10, first.GetProperty("lowStockThreshold").GetInt32());
        Assert.Equal(1, first.GetProperty("storeId").GetInt32());
    }

    [Fact]
    public async Task ProductsAndSalesCarryTheCurrencyOfTheirStore()
    {
        await using var host = await BmsServerHost.StartAsync();
        var store2 = await SecondStore.AddAsync(host);
        await host.WithDbAsync(async db =>
        {
            var store = await db.Stores.SingleAsync(s => s.Id == store2.StoreId);
            store.Currency = "GBP";
            return await db.SaveChangesAsync();
        });
        var admin = await host.TokenAsync("admin");

        var (_, products, _) = await host.SendAsync(HttpMethod.Get, "/api/products", admin);
        var (_, sale, _) = await host.SendAsync(HttpMethod.Post, "/api/transactions", admin,
            new { storeId = 1, lines = new[] { new { productId = 1, quantity = 1 } } });
        var (_, sales, _) = await host.SendAsync(HttpMethod.Get, "/api/transactions", admin);
        var (_, catalog, _) = await host.SendAsync(HttpMethod.Get, "/api/pos/catalog", await host.TerminalTokenAsync());

        Assert.All(products.EnumerateArray(), p => Assert.Equal(
            p.GetProperty("storeId").GetInt32() == store2.StoreId ? "GBP" : "EUR", p.GetProperty("currency").GetString()));
        Assert.Equal("EUR", sale.GetProperty("currency").GetString());
        Assert.Equal("EUR", sales[0].GetProperty("currency").GetString());
        Assert.All(catalog.GetProperty("products").EnumerateArray(), p => Assert.Equal("EUR", p.GetProperty("currency").GetString()));
    }

    [Fact]
    public async Task ManagersCreateAndUpdateProductsButCashiersAreForbidden()
    {
        await using var host = await BmsServerHost.StartAsync();
        var manager = await host.TokenAsync("manager");
        var cashier = await host.TokenAsync("cashier");
        var body = new { storeId = 1, sku = "NEW-001", name = "New thing", price = 4.5m, quantity = 7, lowStockThreshold = 2 };

        var (forbidden, problem, _) = await host.SendAsync(HttpMethod.Post, "/api/products", cashier, body);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        Assert.Equal(403, problem.GetProperty("status").GetInt32());

        var (created, product, _) = await host.SendAsync(HttpMethod.Post, "/api/products", manager, body);
        Assert.Equal(HttpStatusCode.Created, created);
        var id = product.GetProperty("id").GetInt32();
        Assert.Equal(7, product.GetProperty("quantity").GetInt32());

        var (updated, changed, _) = await host.SendAsync(HttpMethod.Put, $"/api/products/{id}", manager, new { price = 5.25m, name = "Renamed" });
        Assert.Equal(HttpStatusCode.OK, updated);
        Assert.Equal(5.25m, changed.GetProperty("price").GetDecimal());
        Assert.Equal("Renamed", changed.GetProperty("name").GetString());

        var (fetched, again, _) = await host.SendAsync(HttpMethod.Get, $"/api/products/{id}", cashier);
        Assert.Equal(HttpStatusCode.OK, fetched);
        Assert.Equal("Renamed", again.GetProperty("name").GetString());

        var (duplicate, _, _) = await host.SendAsync(HttpMethod.Post, "/api/products", manager, body);
        Assert.Equal(HttpStatusCode.Conflict, duplicate);
    }

    [Fact]
    public async Task InventoryAdjustAnswersTheNewQuantity()
    {
        await using var host = await BmsServerHost.StartAsync();
        var manager = await host.TokenAsync("manager");

        var (status, body, _) = await host.SendAsync(HttpMethod.Post, "/api/inventory/adjust", manager,
            new { productId = 3, delta = -5, reason = "breakage" });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(30, body.GetProperty("quantity").GetInt32());
        Assert.Equal(35, body.GetProperty("oldQuantity").GetInt32());
        var (_, list, _) = await host.SendAsync(HttpMethod.Get, "/api/inventory?storeId=1", manager);
        Assert.Equal(30, list.EnumerateArray().Single(i => i.GetProperty("productId").GetInt32() == 3).GetProperty("quantity").GetInt32());
    }

    [Fact]
    public async Task ASaleIsCreatedWithTotalAndLinesAndTakesTheStock()
    {
        await using var host = await BmsServerHost.StartAsync();
        var cashier = await host.TokenAsync("cashier");

        var (status, sale, response) = await host.SendAsync(HttpMethod.Post, "/api/transactions", cashier,
            new { storeId = 1, lines = new[] { new { productId = 1, quantity = 2 }, new { productId = 4, quantity = 3 } } });

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.NotNull(response.Headers.Location);
        Assert.True(Guid.TryParse(sale.GetProperty("id").GetString(), out _));
        Assert.Equal(2 * 18.90m + 3 * 2.49m, sale.GetProperty("total").GetDecimal());
        Assert.Equal(2, sale.GetProperty("lines").GetArrayLength());
        Assert.True(sale.GetProperty("createdAt").GetDateTime() <= DateTime.UtcNow);
        var (_, products, _) = await host.SendAsync(HttpMethod.Get, "/api/products", cashier);
        Assert.Equal(38, products[0].GetProperty("quantity").GetInt32());
        Assert.Equal(77, products[3].GetProperty("quantity").GetInt32());

        var (_, list, _) = await host.SendAsync(HttpMethod.Get, "/api/transactions?storeId=1", cashier);
        Assert.Equal(sale.GetProperty("id").GetString(), list[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task ASaleRetriedWithTheSameIdempotencyKeyIsRecordedOnce()
    {
        await using var host = await BmsServerHost.StartAsync();
        var terminal = await host.TerminalTokenAsync();
        var body = new { storeId = 1, lines = new[] { new { productId = 2, quantity = 1 } }, idempotencyKey = "POS-001-000001" };

        var (first, sale, _) = await host.SendAsync(HttpMethod.Post, "/api/transactions", terminal, body);
        var (second, replay, response) = await host.SendAsync(HttpMethod.Post, "/api/transactions", terminal, body);

        Assert.Equal(HttpStatusCode.Created, first);
        Assert.Equal(HttpStatusCode.OK, second);
        Assert.Equal("true", response.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(sale.GetProperty("id").GetString(), replay.GetProperty("id").GetString());
        var snapshot = await DatabaseSnapshot.TakeAsync(host);
        Assert.Equal(1, snapshot.Transactions);
        Assert.Equal(1, snapshot.Keys);
        Assert.Contains("2:59:", snapshot.Stock, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASaleInAStoreTheCallerDoesNotBelongToIsForbidden()
    {
        await using var host = await BmsServerHost.StartAsync();
        var cashier = await host.TokenAsync("cashier");
        var before = await DatabaseSnapshot.TakeAsync(host);

        var (status, problem, _) = await host.SendAsync(HttpMethod.Post, "/api/transactions", cashier,
            new { storeId = 2, lines = new[] { new { productId = 1, quantity = 1 } } });

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("forbidden", problem.GetProperty("code").GetString());
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(host));
    }

    [Fact]
    public async Task AdminsSendNotificationsAndOthersAreForbidden()
    {
        await using var host = await BmsServerHost.StartAsync();
        var admin = await host.TokenAsync("admin");
        var manager = await host.TokenAsync("manager");
        var body = new { title = "Closing early", message = "The store closes at 16:00 today.", severity = "warning" };

        var (accepted, sent, _) = await host.SendAsync(HttpMethod.Post, "/api/notifications", admin, body);
        var (forbidden, _, _) = await host.SendAsync(HttpMethod.Post, "/api/notifications", manager, body);

        Assert.Equal(HttpStatusCode.Accepted, accepted);
        Assert.Equal("Closing early", sent.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        Assert.Equal(1, (await DatabaseSnapshot.TakeAsync(host)).Notifications);
    }

    [Fact]
    public async Task AdminsUpdateUsers()
    {
        await using var host = await BmsServerHost.StartAsync();
        var admin = await host.TokenAsync("admin");
        var (_, users, _) = await host.SendAsync(HttpMethod.Get, "/api/users", admin);
        var cashierId = users.EnumerateArray().Single(u => u.GetProperty("username").GetString() == "cashier").GetProperty("id").GetInt32();

        var (status, user, _) = await host.SendAsync(HttpMethod.Put, $"/api/users/{cashierId}", admin,
            new { displayName = "Head Cashier", roles = new[] { "cashier", "manager" } });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Head Cashier", user.GetProperty("displayName").GetString());
        Assert.Equal(["cashier", "manager"], user.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        var (forbidden, _, _) = await host.SendAsync(HttpMethod.Put, $"/api/users/{cashierId}", await host.TokenAsync("manager"), new { displayName = "x" });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
    }
}
