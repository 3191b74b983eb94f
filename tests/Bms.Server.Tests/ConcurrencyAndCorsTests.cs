using System.Net;
using Bms.Server.Tests.Infrastructure;

namespace Bms.Server.Tests;

public sealed class ConcurrencyAndCorsTests
{
    [Fact]
    public async Task ConcurrentSalesOfOneProductAreAllRecordedAndNoStockUpdateIsLost()
    {
        await using var host = await BmsServerHost.StartAsync();
        var cashier = await host.TokenAsync("cashier");

        // Product 5: quantity 100. Twenty sales of one unit at once, half of them sent twice with the same key.
        var sales = Enumerable.Range(0, 20).Select(i => host.SendAsync(HttpMethod.Post, "/api/transactions", cashier,
            new { storeId = 1, lines = new[] { new { productId = 5, quantity = 1 } }, idempotencyKey = $"race-{i}" }));
        var replays = Enumerable.Range(0, 10).Select(i => host.SendAsync(HttpMethod.Post, "/api/transactions", cashier,
            new { storeId = 1, lines = new[] { new { productId = 5, quantity = 1 } }, idempotencyKey = $"race-{i}" }));
        var results = await Task.WhenAll(sales.Concat(replays)).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.All(results, r => Assert.Contains(r.Status, new[] { HttpStatusCode.Created, HttpStatusCode.OK }));
        var snapshot = await DatabaseSnapshot.TakeAsync(host);
        Assert.Equal(20, snapshot.Transactions);
        Assert.Contains("5:80:", snapshot.Stock, StringComparison.Ordinal);
        Assert.Equal(20, snapshot.Movements);
    }

    [Fact]
    public async Task CorsAllowsOnlyConfiguredOrigins()
    {
        await using var host = await BmsServerHost.StartAsync(new Dictionary<string, string> { ["Bms:CorsOrigins:0"] = "http://shop.test" });

        var allowed = await PreflightAsync(host, "http://shop.test");
        var other = await PreflightAsync(host, "http://evil.test");

        Assert.Equal("http://shop.test", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static async Task<HttpResponseMessage> PreflightAsync(BmsServerHost host, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/products");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "authorization");
        return await host.Http.SendAsync(request).WaitAsync(BmsServerHost.Timeout);
    }
}
