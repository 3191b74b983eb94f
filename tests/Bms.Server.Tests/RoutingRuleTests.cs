using System.Net;
using Bms.Server.Tests.Infrastructure;

namespace Bms.Server.Tests;

/// <summary>Configured room rules (<c>Bms:Routing:Rules</c>) on a real backend, including a reload without restart.</summary>
public sealed class RoutingRuleTests
{
    private const string OutOfStockToAdmins = """
        {"Bms":{"Routing":{"Rules":[
          {"Name":"out-of-stock","Event":"low-stock:alert","Filter":{"quantity":0},"Room":"role:admin"}
        ]}}}
        """;

    private const string LowToAdmins = """
        {"Bms":{"Routing":{"Rules":[
          {"Name":"low","Event":"low-stock:alert","Filter":{"quantity":{"lte":5}},"Room":"role:admin"}
        ]}}}
        """;

    [Fact]
    public async Task ARuleSendsMatchingEventsToAnExtraRoomOnceAndAChangedRuleAppliesWithoutARestart()
    {
        await using var server = BmsServerHost.Create(new BmsServerHostOptions { SettingsJson = OutOfStockToAdmins });
        await server.StartServerAsync();
        var admin = await server.TokenAsync("admin");
        var manager = await server.TokenAsync("manager");
        // The admin socket is only in role:admin (and user:); the second admin socket is also in store:1.
        await using var adminOnly = await SocketIoTestClient.ConnectAsync(server.BaseAddress, "/main", new { token = admin });
        await using var adminInStore = await SocketIoTestClient.ConnectAsync(server.BaseAddress, "/main", new { token = admin });
        await using var store = await SocketIoTestClient.ConnectAsync(server.BaseAddress, "/main", new { token = manager });
        await adminInStore.EmitWithAckAsync("room:join", "store:1");
        await store.EmitWithAckAsync("room:join", "store:1");
        var (status, rules, _) = await server.SendAsync(HttpMethod.Get, "/api/routing/rules", admin);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("out-of-stock", rules[0].GetProperty("name").GetString());

        // Product 11 (quantity 45, threshold 10) to 3: an alert that does not match; product 12 (15, threshold 5) to 0: one that does.
        await AdjustAsync(server, manager, 11, -42);
        await AdjustAsync(server, manager, 12, -15);
        await store.WaitForEventAsync("low-stock:alert", e => ProductOf(e) == 12);
        await adminOnly.WaitForEventAsync("low-stock:alert", e => ProductOf(e) == 12);
        await adminInStore.WaitForEventAsync("low-stock:alert", e => ProductOf(e) == 12);
        await Task.Delay(300).WaitAsync(BmsServerHost.Timeout);
        Assert.Equal([12], adminOnly.EventsNamed("low-stock:alert").Select(ProductOf));
        // In store:1 and role:admin: each alert once, not twice.
        Assert.Equal([11, 12], adminInStore.EventsNamed("low-stock:alert").Select(ProductOf));

        server.ReloadSettings(LowToAdmins);
        (_, rules, _) = await server.SendAsync(HttpMethod.Get, "/api/routing/rules", admin);
        Assert.Equal("low", rules[0].GetProperty("name").GetString());
        await AdjustAsync(server, manager, 10, -118); // product 10 (120, threshold 30) to 2
        await adminOnly.WaitForEventAsync("low-stock:alert", e => ProductOf(e) == 10);

        // An invalid change is refused and the rule in force stays.
        server.ReloadSettings("""{"Bms":{"Routing":{"Rules":[{"Name":"broken","Event":"low-stock:alert","Filter":{"colour":"red"},"Room":"role:admin"}]}}}""");
        (_, rules, _) = await server.SendAsync(HttpMethod.Get, "/api/routing/rules", admin);
        Assert.Equal("low", rules[0].GetProperty("name").GetString());
    }

    private static int ProductOf(System.Text.Json.JsonElement e) => e.GetProperty("data").GetProperty("productId").GetInt32();

    private static async Task AdjustAsync(BmsServerHost server, string token, int productId, int delta)
    {
        var (status, body, _) = await server.SendAsync(HttpMethod.Post, "/api/inventory/adjust", token, new { productId, delta, reason = "count" });
        Assert.True(status == HttpStatusCode.OK, body.ToString());
    }
}
