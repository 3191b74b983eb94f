using System.Net;
using System.Text.Json;
using Bms.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bms.Server.Tests;

/// <summary>A user or terminal of store 1 never sees or changes anything of store 2, on every endpoint.</summary>
public sealed class StoreScopeTests(StoreScopeTests.TwoStores shop) : IClassFixture<StoreScopeTests.TwoStores>
{
    public static TheoryData<string, string> Readers => new()
    {
        { "manager", "/api/products" },
        { "manager", "/api/products?storeId=2" },
        { "cashier", "/api/products" },
        { "manager", "/api/inventory" },
        { "manager", "/api/inventory?storeId=2" },
        { "cashier", "/api/transactions" },
        { "manager", "/api/transactions?storeId=2" },
        { "pos", "/api/transactions" },
        { "pos", "/api/pos/catalog" },
        { "pos", "/api/pos/catalog?since=2020-01-01T00:00:00Z" },
        { "cashier", "/api/pos/catalog" },
        { "manager", "/api/terminals" },
    };

    [Theory]
    [MemberData(nameof(Readers))]
    public async Task ListsOfAStoreOneCallerContainNothingOfStoreTwo(string caller, string path)
    {
        var (status, body, _) = await shop.Host.SendAsync(HttpMethod.Get, path, await shop.TokenAsync(caller));

        Assert.Equal(HttpStatusCode.OK, status);
        var items = body.ValueKind == JsonValueKind.Array ? body : body.GetProperty("products");
        Assert.All(items.EnumerateArray(), item => Assert.Equal(1, item.GetProperty("storeId").GetInt32()));
        Assert.DoesNotContain(shop.Store2.ProductId, ProductIds(body));
        Assert.DoesNotContain("POS-201", body.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("Harbour", body.GetRawText(), StringComparison.Ordinal);
    }

    /// <summary>Every product id in <paramref name="json"/>: <c>productId</c> anywhere, and <c>id</c> of product rows.</summary>
    private static List<int> ProductIds(JsonElement json)
    {
        var ids = new List<int>();
        void Walk(JsonElement element)
        {
            if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item);
                }
            }
            else if (element.ValueKind == JsonValueKind.Object)
            {
                var isProduct = element.TryGetProperty("sku", out _);
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.Number
                        && (property.Name == "productId" || (property.Name == "id" && isProduct)))
                    {
                        ids.Add(property.Value.GetInt32());
                    }

                    Walk(property.Value);
                }
            }
        }

        Walk(json);
        return ids;
    }

    [Fact]
    public async Task AStoreTwoProductIsNotFoundForAStoreOneCaller()
    {
        var (status, _, _) = await shop.Host.SendAsync(HttpMethod.Get, $"/api/products/{shop.Store2.ProductId}", await shop.TokenAsync("manager"));
        var (own, _, _) = await shop.Host.SendAsync(HttpMethod.Get, "/api/products/1", await shop.TokenAsync("manager"));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(HttpStatusCode.OK, own);
    }

    public static TheoryData<string, string, string, string> Writers => new()
    {
        { "manager", "PUT", "/api/products/{p2}", """{"price": 0.01}""" },
        { "manager", "POST", "/api/products", """{"storeId": 2, "sku": "X-9", "name": "Intruder", "price": 1}""" },
        { "manager", "POST", "/api/inventory/adjust", """{"productId": {p2}, "delta": -5, "reason": "theft"}""" },
        { "cashier", "POST", "/api/transactions", """{"storeId": 2, "lines": [{"productId": {p2}, "quantity": 1}]}""" },
        { "cashier", "POST", "/api/transactions", """{"storeId": 1, "lines": [{"productId": {p2}, "quantity": 1}]}""" },
        { "pos", "POST", "/api/transactions", """{"storeId": 1, "lines": [{"productId": {p2}, "quantity": 1}]}""" },
    };

    [Theory]
    [MemberData(nameof(Writers))]
    public async Task AStoreOneCallerCannotChangeStoreTwo(string caller, string method, string path, string body)
    {
        var before = await Store2StateAsync();
        using var request = BmsServerHost.Request(new HttpMethod(method), path.Replace("{p2}", shop.Store2.ProductId.ToString()), await shop.TokenAsync(caller));
        request.Content = new StringContent(body.Replace("{p2}", shop.Store2.ProductId.ToString()), System.Text.Encoding.UTF8, "application/json");

        var (status, _, _) = await shop.Host.SendAsync(request);

        Assert.Contains(status, new[] { HttpStatusCode.NotFound, HttpStatusCode.Forbidden, HttpStatusCode.BadRequest });
        Assert.Equal(before, await Store2StateAsync());
    }

    [Theory]
    [InlineData("pos")]
    [InlineData("cashier")]
    public async Task POSSyncOfAStoreOneCallerCannotSellStoreTwoStock(string caller)
    {
        var before = await Store2StateAsync();

        var (status, body, _) = await shop.Host.SendAsync(HttpMethod.Post, "/api/pos/sync", await shop.TokenAsync(caller), new
        {
            transactions = new object[]
            {
                new { id = Guid.CreateVersion7(), storeId = 2, lines = new[] { new { productId = shop.Store2.ProductId, quantity = 1 } } },
                new { id = Guid.CreateVersion7(), storeId = 1, lines = new[] { new { productId = shop.Store2.ProductId, quantity = 1 } } },
            },
        });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.All(body.GetProperty("results").EnumerateArray(), r => Assert.Equal("rejected", r.GetProperty("status").GetString()));
        Assert.Equal(before, await Store2StateAsync());
    }

    [Fact]
    public async Task AnAdminStillSeesEveryStore()
    {
        var (_, products, _) = await shop.Host.SendAsync(HttpMethod.Get, "/api/products", await shop.TokenAsync("admin"));
        var (_, sales, _) = await shop.Host.SendAsync(HttpMethod.Get, "/api/transactions", await shop.TokenAsync("admin"));

        Assert.Contains(products.EnumerateArray(), p => p.GetProperty("storeId").GetInt32() == 2);
        Assert.Contains(sales.EnumerateArray(), t => t.GetProperty("storeId").GetInt32() == 2);
    }

    [Fact]
    public async Task EveryQueryOfTheContextIsScopedAndAContextWithoutACallerSeesNoStore()
    {
        await using var scope = shop.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Bms.Server.Data.BmsDbContext>();

        var unscoped = (await db.Products.CountAsync(), await db.Inventory.CountAsync(), await db.Transactions.CountAsync(), await db.InventoryMovements.CountAsync());
        db.StoreScope.Use(new Bms.Server.Auth.BmsPrincipal("user", "2", "manager", new HashSet<string> { "manager" }, new HashSet<int> { 1 }, null));
        var stores = await db.Products.Select(p => p.StoreId).Concat(db.Inventory.Select(i => i.StoreId))
            .Concat(db.Transactions.Select(t => t.StoreId)).Concat(db.InventoryMovements.Select(m => m.StoreId)).Distinct().ToListAsync();

        Assert.Equal((0, 0, 0, 0), unscoped);
        Assert.Equal([1], stores);
    }

    private Task<string> Store2StateAsync() => shop.Host.WithDbAsync(async db =>
    {
        var stock = await db.Inventory.Where(i => i.StoreId == 2).Select(i => $"{i.ProductId}:{i.Quantity}:{i.Version}").ToListAsync();
        var products = await db.Products.Where(p => p.StoreId == 2).Select(p => $"{p.Id}:{p.Sku}:{p.Price}").ToListAsync();
        var sales = await db.Transactions.CountAsync(t => t.StoreId == 2);
        return $"{string.Join(",", stock)}|{string.Join(",", products)}|{sales}";
    });

    /// <summary>One server for the class: the demo store 1 and store 2 (a product, a terminal and an admin's sale).</summary>
    public sealed class TwoStores : IAsyncLifetime
    {
        private readonly Dictionary<string, string> tokens = [];

        public BmsServerHost Host { get; private set; } = null!;

        internal SecondStore Store2 { get; private set; } = null!;

        public async Task<string> TokenAsync(string caller)
        {
            if (!tokens.TryGetValue(caller, out var token))
            {
                token = caller == "pos" ? await Host.TerminalTokenAsync() : await Host.TokenAsync(caller);
                tokens[caller] = token;
            }

            return token;
        }

        public async Task InitializeAsync()
        {
            Host = await BmsServerHost.StartAsync();
            Store2 = await SecondStore.AddAsync(Host);
            var (status, _, _) = await Host.SendAsync(HttpMethod.Post, "/api/transactions", await TokenAsync("admin"),
                new { storeId = 2, lines = new[] { new { productId = Store2.ProductId, quantity = 1 } } });
            Assert.Equal(HttpStatusCode.Created, status);
        }

        public async Task DisposeAsync() => await Host.DisposeAsync();
    }
}
