using System.Net;
using System.Text.Json;
using Bms.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bms.Server.Tests;

public sealed class PosSyncIntegrityTests
{
    [Fact]
    public async Task AnOfflineSalePastTheNegativeStockAllowanceIsRejectedAloneAndTheRestOfTheBatchApplies()
    {
        await using var host = await BmsServerHost.StartAsync(new Dictionary<string, string> { ["Bms:PosSync:NegativeStockAllowance"] = "50" });
        var token = await host.TerminalTokenAsync();
        var good = Guid.CreateVersion7();
        var tooFar = Guid.CreateVersion7();
        var withinAllowance = Guid.CreateVersion7();

        // Product 12 has 15: selling 60 would leave -45 (allowed), then 10 more would leave -55 (past -50).
        var results = await SyncAsync(host, token,
            Sale(good, (2, 1)),
            Sale(withinAllowance, (12, 60)),
            Sale(tooFar, (12, 10), (2, 1)),
            Sale(Guid.CreateVersion7(), (3, 1)));

        Assert.Equal(["accepted", "accepted", "rejected", "accepted"], results.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal("negative_stock_limit", results[2].GetProperty("reason").GetString());
        Assert.Contains("-50", results[2].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(-45, await QuantityAsync(host, 12));
        Assert.Equal(59, await QuantityAsync(host, 2));
    }

    [Fact]
    public async Task StockDrivenTowardsIntMinValueNeverOverflowsAndNeverFailsTheBatch()
    {
        await using var host = await BmsServerHost.StartAsync();
        var token = await host.TerminalTokenAsync();

        // A store whose stock is already at the edge (older data): the sale must be answered per item, not a 500.
        await host.WithDbAsync(async db =>
        {
            await db.Inventory.Where(i => i.ProductId == 5).ExecuteUpdateAsync(u => u.SetProperty(i => i.Quantity, int.MinValue + 5));
            return 0;
        });
        var lines = Enumerable.Range(0, 200).Select(_ => (5, 10_000)).ToArray();
        var poisoned = Guid.CreateVersion7();
        var good = Guid.CreateVersion7();

        for (var round = 0; round < 2; round++)
        {
            var results = await SyncAsync(host, token, Sale(poisoned, lines), Sale(good, (1, 1)));

            Assert.Equal("rejected", results[0].GetProperty("status").GetString());
            Assert.Equal("negative_stock_limit", results[0].GetProperty("reason").GetString());
            Assert.Equal(round == 0 ? "accepted" : "duplicate", results[1].GetProperty("status").GetString());
        }

        Assert.Equal(int.MinValue + 5, await QuantityAsync(host, 5));
        Assert.Equal(39, await QuantityAsync(host, 1));
    }

    [Fact]
    public async Task AnInventoryAdjustmentCannotPushStockPastTheDomainMaximum()
    {
        await using var host = await BmsServerHost.StartAsync();
        var manager = await host.TokenAsync("manager");
        await host.WithDbAsync(async db =>
        {
            await db.Inventory.Where(i => i.ProductId == 4).ExecuteUpdateAsync(u => u.SetProperty(i => i.Quantity, 999_999_999));
            return 0;
        });

        var (status, problem, _) = await host.SendAsync(HttpMethod.Post, "/api/inventory/adjust", manager,
            new { productId = 4, delta = 1_000_000, reason = "delivery" });

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("stock_limit", problem.GetProperty("code").GetString());
        Assert.Equal(999_999_999, await QuantityAsync(host, 4));
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("0001-01-01T00:00:01%2B00:00")]
    [InlineData("1999-12-31T23:59:59Z")]
    [InlineData("not-a-time")]
    [InlineData("99999-01-01T00:00:00Z")]
    public async Task AnOutOfRangeCatalogueCursorIsAnswered400ProblemDetails(string since)
    {
        await using var host = await BmsServerHost.StartAsync();
        var token = await host.TerminalTokenAsync();

        var (status, problem, response) = await host.SendAsync(HttpMethod.Get, $"/api/pos/catalog?since={since}", token);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task TheNegativeStockAllowanceIsValidatedAtStart()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            BmsServerHost.StartAsync(new Dictionary<string, string> { ["Bms:PosSync:NegativeStockAllowance"] = "-1" }));

        Assert.Contains("NegativeStockAllowance", error.ToString(), StringComparison.Ordinal);
    }

    internal static object Sale(Guid id, params (int ProductId, int Quantity)[] lines) => new
    {
        id,
        storeId = 1,
        createdAt = DateTime.UtcNow,
        lines = lines.Select(l => new { productId = l.ProductId, quantity = l.Quantity }).ToArray(),
    };

    internal static async Task<List<JsonElement>> SyncAsync(BmsServerHost host, string token, params object[] sales)
    {
        var (status, body, _) = await host.SendAsync(HttpMethod.Post, "/api/pos/sync", token, new { transactions = sales });
        Assert.Equal(HttpStatusCode.OK, status);
        return body.GetProperty("results").EnumerateArray().ToList();
    }

    private static Task<int> QuantityAsync(BmsServerHost host, int productId) =>
        host.WithDbAsync(db => db.Inventory.Where(i => i.ProductId == productId).Select(i => i.Quantity).SingleAsync());
}
