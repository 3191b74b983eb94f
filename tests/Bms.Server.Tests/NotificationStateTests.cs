using System.Net;
using System.Text.Json;
using Bms.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bms.Server.Tests;

/// <summary>
/// <c>/api/notifications</c> keeps each user's notifications on the server: system notices and their stores'
/// low-stock alerts, with each user's own read and cleared state.
/// </summary>
public sealed class NotificationStateTests
{
    [Fact]
    public async Task TheListHasSystemNoticesAndLowStockAlertsRaisedWhileTheUserWasAwayEachUnread()
    {
        await using var host = await BmsServerHost.StartAsync();
        var admin = await host.TokenAsync("admin");
        var manager = await host.TokenAsync("manager");

        await SendNoticeAsync(host, admin, "Till 3 closed");
        var (adjusted, _, _) = await host.SendAsync(HttpMethod.Post, "/api/inventory/adjust", manager,
            new { productId = 1, delta = -35, reason = "count" });
        Assert.Equal(HttpStatusCode.OK, adjusted);

        // The cashier had no dashboard open: both are waiting for them.
        var list = await ListAsync(host, await host.TokenAsync("cashier"));

        Assert.Equal(2, list.Count);
        var alert = Assert.Single(list, n => n.GetProperty("kind").GetString() == "low-stock");
        Assert.Equal("Low stock: Espresso Beans 1kg", alert.GetProperty("title").GetString());
        Assert.Equal("warning", alert.GetProperty("severity").GetString());
        Assert.Equal(1, alert.GetProperty("storeId").GetInt32());
        Assert.Equal(1, alert.GetProperty("productId").GetInt32());
        var notice = Assert.Single(list, n => n.GetProperty("kind").GetString() == "system");
        Assert.Equal("Till 3 closed", notice.GetProperty("title").GetString());
        Assert.Equal(JsonValueKind.Null, notice.GetProperty("storeId").ValueKind);
        Assert.All(list, n => Assert.False(n.GetProperty("read").GetBoolean()));
        Assert.Equal("low-stock", list[0].GetProperty("kind").GetString());
    }

    [Fact]
    public async Task ReadStateIsEachUsersOwnAndLastsAcrossSignIns()
    {
        await using var host = await BmsServerHost.StartAsync();
        var admin = await host.TokenAsync("admin");
        var first = await SendNoticeAsync(host, admin, "First");
        await SendNoticeAsync(host, admin, "Second");
        var manager = await host.TokenAsync("manager");

        var (read, _, _) = await host.SendAsync(HttpMethod.Post, $"/api/notifications/{first}/read", manager);
        var (again, _, _) = await host.SendAsync(HttpMethod.Post, $"/api/notifications/{first}/read", manager);

        Assert.Equal(HttpStatusCode.NoContent, read);
        Assert.Equal(HttpStatusCode.NoContent, again);
        var managerList = await ListAsync(host, await host.TokenAsync("manager"));
        Assert.Equal([("Second", false), ("First", true)], managerList.Select(Summary));
        var cashierList = await ListAsync(host, await host.TokenAsync("cashier"));
        Assert.Equal([("Second", false), ("First", false)], cashierList.Select(Summary));

        var (all, body, _) = await host.SendAsync(HttpMethod.Post, "/api/notifications/read-all", manager);
        Assert.Equal(HttpStatusCode.OK, all);
        Assert.Equal(1, body.GetProperty("marked").GetInt32());
        Assert.All(await ListAsync(host, manager), n => Assert.True(n.GetProperty("read").GetBoolean()));
        Assert.All(await ListAsync(host, await host.TokenAsync("cashier")), n => Assert.False(n.GetProperty("read").GetBoolean()));
    }

    [Fact]
    public async Task ClearAllEmptiesOnlyTheCallersListAndLaterNotificationsStillArrive()
    {
        await using var host = await BmsServerHost.StartAsync();
        var admin = await host.TokenAsync("admin");
        await SendNoticeAsync(host, admin, "Old news");
        var manager = await host.TokenAsync("manager");

        var (cleared, body, _) = await host.SendAsync(HttpMethod.Post, "/api/notifications/clear", manager);

        Assert.Equal(HttpStatusCode.OK, cleared);
        Assert.Equal(1, body.GetProperty("cleared").GetInt32());
        Assert.Empty(await ListAsync(host, await host.TokenAsync("manager")));
        Assert.Single(await ListAsync(host, await host.TokenAsync("cashier")));

        await SendNoticeAsync(host, admin, "Fresh news");
        var after = await ListAsync(host, manager);
        Assert.Equal([("Fresh news", false)], after.Select(Summary));
    }

    [Fact]
    public async Task AUserSeesOnlyTheirStoresAlertsAndCannotMarkAnotherStoresAlert()
    {
        await using var host = await BmsServerHost.StartAsync();
        var store2 = await SecondStore.AddAsync(host, quantity: 3);
        var admin = await host.TokenAsync("admin");

        // Store 2's product drops to its threshold (1): an alert for store 2 only.
        var (adjusted, _, _) = await host.SendAsync(HttpMethod.Post, "/api/inventory/adjust", admin,
            new { productId = store2.ProductId, delta = -2, reason = "count" });
        Assert.Equal(HttpStatusCode.OK, adjusted);
        var adminList = await ListAsync(host, admin);
        var alert = Assert.Single(adminList, n => n.GetProperty("kind").GetString() == "low-stock");
        Assert.Equal(store2.StoreId, alert.GetProperty("storeId").GetInt32());
        var alertId = alert.GetProperty("id").GetString();

        var manager = await host.TokenAsync("manager");
        Assert.DoesNotContain(await ListAsync(host, manager), n => n.GetProperty("kind").GetString() == "low-stock");
        var (status, problem, _) = await host.SendAsync(HttpMethod.Post, $"/api/notifications/{alertId}/read", manager);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("not_found", problem.GetProperty("code").GetString());

        // Clearing everything as the manager leaves the other store's alert alone, for the admin too.
        await host.SendAsync(HttpMethod.Post, "/api/notifications/clear", manager);
        var receipts = await host.WithDbAsync(db => db.NotificationReceipts.CountAsync(r => r.NotificationId.ToString() == alertId));
        Assert.Equal(0, receipts);
        Assert.Single(await ListAsync(host, admin), n => n.GetProperty("kind").GetString() == "low-stock");
    }

    [Fact]
    public async Task ALowStockAlertsEventIdIsItsStoredNotificationsId()
    {
        await using var host = await BmsServerHost.StartAsync();
        var manager = await host.TokenAsync("manager");
        await using var socket = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token = manager });
        Assert.True((await socket.EmitWithAckAsync("room:join", "store:1")).GetProperty("ok").GetBoolean());

        var alertEvent = socket.WaitForEventAsync("low-stock:alert");
        await host.SendAsync(HttpMethod.Post, "/api/transactions", manager,
            new { storeId = 1, lines = new[] { new { productId = 1, quantity = 31 } } });
        var envelope = await alertEvent.WaitAsync(BmsServerHost.Timeout);

        var stored = Assert.Single(await ListAsync(host, manager), n => n.GetProperty("kind").GetString() == "low-stock");
        Assert.Equal(envelope.GetProperty("id").GetString(), stored.GetProperty("id").GetString());
    }

    [Fact]
    public async Task AManagerSendingANoticeIsRefusedWithProblemDetailsACodeAndTheRoleItNeeds()
    {
        await using var host = await BmsServerHost.StartAsync();

        var (status, problem, response) = await host.SendAsync(HttpMethod.Post, "/api/notifications", await host.TokenAsync("manager"),
            new { title = "Hello", message = "Everyone" });
        var (anonymous, unauthorized, _) = await host.SendAsync(HttpMethod.Get, "/api/notifications", token: null);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("forbidden", problem.GetProperty("code").GetString());
        Assert.Equal("This needs the role admin.", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous);
        Assert.Equal("unauthorized", unauthorized.GetProperty("code").GetString());
    }

    private static (string Title, bool Read) Summary(JsonElement n) => (n.GetProperty("title").GetString()!, n.GetProperty("read").GetBoolean());

    private static async Task<string> SendNoticeAsync(BmsServerHost host, string admin, string title)
    {
        var (status, body, _) = await host.SendAsync(HttpMethod.Post, "/api/notifications", admin, new { title, message = "Please note." });
        Assert.Equal(HttpStatusCode.Accepted, status);
        return body.GetProperty("id").GetString()!;
    }

    private static async Task<List<JsonElement>> ListAsync(BmsServerHost host, string token)
    {
        var (status, body, _) = await host.SendAsync(HttpMethod.Get, "/api/notifications", token);
        Assert.Equal(HttpStatusCode.OK, status);
        return body.EnumerateArray().ToList();
    }
}
