using System.Globalization;
using System.Net;
using System.Text.Json;
using Bms.Server.Tests.Infrastructure;

namespace Bms.Server.Tests;

public sealed class EventDeliveryTests
{
    [Fact]
    public async Task ASaleViaRestReachesAMainClientInTheStoreRoomAsTransactionCreatedAndInventoryUpdated()
    {
        await using var host = await BmsServerHost.StartAsync();
        await using var inStore = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token = await host.TokenAsync("manager") });
        await using var outside = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token = await host.TokenAsync("admin") });
        await using var admin = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/admin", new { token = await host.TokenAsync("admin") });
        Assert.True((await inStore.EmitWithAckAsync("room:join", "store:1")).GetProperty("ok").GetBoolean());

        var (status, sale, _) = await host.SendAsync(HttpMethod.Post, "/api/transactions", await host.TokenAsync("cashier"),
            new { storeId = 1, lines = new[] { new { productId = 1, quantity = 2 } } });
        Assert.Equal(HttpStatusCode.Created, status);
        var saleId = sale.GetProperty("id").GetString();

        var created = await inStore.WaitForEventAsync("transaction:created");
        var inventory = await inStore.WaitForEventAsync("inventory:updated");
        await admin.WaitForEventAsync("transaction:created");
        await admin.WaitForEventAsync("inventory:updated");

        Assert.Equal("transaction:created", created.GetProperty("type").GetString());
        Assert.Equal(saleId, created.GetProperty("data").GetProperty("id").GetString());
        Assert.Equal(37.80m, created.GetProperty("data").GetProperty("total").GetDecimal());
        Assert.Equal("cashier", created.GetProperty("data").GetProperty("userName").GetString());
        Assert.Equal("cashier", sale.GetProperty("userName").GetString());
        var data = inventory.GetProperty("data");
        Assert.Equal(1, data.GetProperty("productId").GetInt32());
        Assert.Equal(1, data.GetProperty("storeId").GetInt32());
        Assert.Equal(40, data.GetProperty("oldQuantity").GetInt32());
        Assert.Equal(38, data.GetProperty("newQuantity").GetInt32());
        Assert.Equal("sale", data.GetProperty("reason").GetString());
        AssertEnvelope(created);
        AssertEnvelope(inventory);
        Assert.NotEqual(created.GetProperty("id").GetString(), inventory.GetProperty("id").GetString());

        // The admin on /main never joined store:1, so store events do not reach that socket. A notification to
        // everyone, sent after the sale, is the marker: one socket's events arrive in order, so once the marker is
        // there a store event sent to that socket would be there too.
        await SendMarkerAsync(host, outside);
        Assert.Empty(outside.EventsNamed("transaction:created"));
        Assert.Empty(outside.EventsNamed("inventory:updated"));
    }

    [Fact]
    public async Task LowStockAlertIsRaisedExactlyOnceEachTimeTheThresholdIsCrossed()
    {
        await using var host = await BmsServerHost.StartAsync();
        await using var client = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token = await host.TokenAsync("manager") });
        await client.EmitWithAckAsync("room:join", "store:1");
        var cashier = await host.TokenAsync("cashier");
        var manager = await host.TokenAsync("manager");

        // Product 12: quantity 15, threshold 5.
        await SellAsync(host, cashier, 12, 9, client, expectedQuantity: 6);
        Assert.Empty(client.EventsNamed("low-stock:alert"));

        await SellAsync(host, cashier, 12, 1, client, expectedQuantity: 5);
        await SellAsync(host, cashier, 12, 1, client, expectedQuantity: 4);
        await SellAsync(host, cashier, 12, 2, client, expectedQuantity: 2);
        var alerts = client.EventsNamed("low-stock:alert");
        var alert = Assert.Single(alerts);
        Assert.Equal(12, alert.GetProperty("data").GetProperty("productId").GetInt32());
        Assert.Equal(5, alert.GetProperty("data").GetProperty("quantity").GetInt32());
        Assert.Equal(5, alert.GetProperty("data").GetProperty("lowStockThreshold").GetInt32());

        // Restocking above the threshold re-arms the alert; the next crossing raises a second one.
        var (adjusted, _, _) = await host.SendAsync(HttpMethod.Post, "/api/inventory/adjust", manager, new { productId = 12, delta = 10, reason = "delivery" });
        Assert.Equal(HttpStatusCode.OK, adjusted);
        await client.WaitForEventAsync("inventory:updated", e => e.GetProperty("data").GetProperty("newQuantity").GetInt32() == 12);
        await SellAsync(host, cashier, 12, 8, client, expectedQuantity: 4);
        Assert.Equal(2, client.EventsNamed("low-stock:alert").Count);
    }

    [Fact]
    public async Task PosTerminalsReceiveStoreEventsAndTheirSyncStatusReachesAdmins()
    {
        await using var host = await BmsServerHost.StartAsync();
        await using var terminal = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/pos", new { token = await host.TerminalTokenAsync() });
        await using var admin = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/admin", new { token = await host.TokenAsync("admin") });
        await terminal.EmitWithAckAsync("room:join", "store:1");

        var (status, _, _) = await host.SendAsync(HttpMethod.Put, "/api/products/3", await host.TokenAsync("manager"), new { price = 6.5m });
        Assert.Equal(HttpStatusCode.OK, status);
        var product = await terminal.WaitForEventAsync("product:updated");
        Assert.Equal(6.5m, product.GetProperty("data").GetProperty("price").GetDecimal());

        var ack = await terminal.EmitWithAckAsync("sync:status", new { terminalId = "POS-999", isOnline = true, pendingTransactions = 3 });
        var report = await admin.WaitForEventAsync("sync:status");

        Assert.True(ack.GetProperty("ok").GetBoolean());
        Assert.Equal("POS-001", report.GetProperty("data").GetProperty("terminalId").GetString());
        Assert.Equal(1, report.GetProperty("data").GetProperty("storeId").GetInt32());
        Assert.Equal(3, report.GetProperty("data").GetProperty("pendingTransactions").GetInt32());
        AssertEnvelope(report);

        var (listed, terminals, _) = await host.SendAsync(HttpMethod.Get, "/api/terminals", await host.TokenAsync("manager"));
        Assert.Equal(HttpStatusCode.OK, listed);
        var pos = Assert.Single(terminals.EnumerateArray());
        Assert.Equal("POS-001", pos.GetProperty("id").GetString());
        Assert.Equal(3, pos.GetProperty("lastSyncStatus").GetProperty("pendingTransactions").GetInt32());
    }

    [Fact]
    public async Task NotificationsReachEveryNamespaceAndUserUpdatesReachTheUsersOwnRoom()
    {
        await using var host = await BmsServerHost.StartAsync();
        var cashierLogin = await host.LoginAsync("cashier", "cashier123!");
        var cashierId = cashierLogin.GetProperty("user").GetProperty("id").GetInt32();
        var cashierToken = cashierLogin.GetProperty("accessToken").GetString();
        await using var cashierMain = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token = cashierToken });
        await using var cashierPos = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/pos", new { token = cashierToken });
        await using var managerMain = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token = await host.TokenAsync("manager") });
        var admin = await host.TokenAsync("admin");

        var (sent, _, _) = await host.SendAsync(HttpMethod.Post, "/api/notifications", admin, new { title = "Heads up", message = "Stocktake at 6pm", severity = "warning" });
        Assert.Equal(HttpStatusCode.Accepted, sent);
        foreach (var client in new[] { cashierMain, cashierPos, managerMain })
        {
            var notification = await client.WaitForEventAsync("system:notification");
            Assert.Equal("Heads up", notification.GetProperty("data").GetProperty("title").GetString());
            Assert.Equal("warning", notification.GetProperty("data").GetProperty("severity").GetString());
        }

        var (updated, _, _) = await host.SendAsync(HttpMethod.Put, $"/api/users/{cashierId}", admin, new { displayName = "Till Hero" });
        Assert.Equal(HttpStatusCode.OK, updated);
        var userEvent = await cashierMain.WaitForEventAsync("user:updated");
        Assert.Equal("Till Hero", userEvent.GetProperty("data").GetProperty("displayName").GetString());
        await SendMarkerAsync(host, managerMain);
        Assert.Empty(managerMain.EventsNamed("user:updated"));
    }

    [Fact]
    public async Task DisablingAUserDisconnectsTheirSocketsAndStopsTheirRefreshToken()
    {
        await using var host = await BmsServerHost.StartAsync();
        var login = await host.LoginAsync("cashier", "cashier123!");
        var id = login.GetProperty("user").GetProperty("id").GetInt32();
        await using var main = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token = login.GetProperty("accessToken").GetString() });
        await using var pos = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/pos", new { token = login.GetProperty("accessToken").GetString() });
        await using var manager = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token = await host.TokenAsync("manager") });

        var (status, _, _) = await host.SendAsync(HttpMethod.Put, $"/api/users/{id}", await host.TokenAsync("admin"), new { isActive = false });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("io server disconnect", await main.Disconnected.WaitAsync(BmsServerHost.Timeout));
        Assert.Equal("io server disconnect", await pos.Disconnected.WaitAsync(BmsServerHost.Timeout));
        Assert.True(manager.IsConnected);
        var (refresh, _, _) = await host.SendAsync(HttpMethod.Post, "/api/auth/refresh", null, new { refreshToken = login.GetProperty("refreshToken").GetString() });
        Assert.Equal(HttpStatusCode.Unauthorized, refresh);
    }

    private static async Task SellAsync(BmsServerHost host, string token, int productId, int quantity, SocketIoTestClient client, int expectedQuantity)
    {
        var (status, _, _) = await host.SendAsync(HttpMethod.Post, "/api/transactions", token,
            new { storeId = 1, lines = new[] { new { productId, quantity } } });
        Assert.Equal(HttpStatusCode.Created, status);

        // Events of one sale arrive in order, so once its inventory:updated is here any alert of it is too.
        await client.WaitForEventAsync("inventory:updated", e =>
            e.GetProperty("data").GetProperty("productId").GetInt32() == productId
            && e.GetProperty("data").GetProperty("newQuantity").GetInt32() == expectedQuantity);
    }

    private static void AssertEnvelope(JsonElement envelope)
    {
        Assert.True(Guid.TryParse(envelope.GetProperty("id").GetString(), out _));
        Assert.False(string.IsNullOrEmpty(envelope.GetProperty("type").GetString()));
        var timestamp = envelope.GetProperty("timestamp").GetString()!;
        Assert.EndsWith("Z", timestamp, StringComparison.Ordinal);
        var parsed = DateTime.Parse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        Assert.True(Math.Abs((DateTime.UtcNow - parsed).TotalMinutes) < 5);
        Assert.Equal(JsonValueKind.Object, envelope.GetProperty("data").ValueKind);
    }

    /// <summary>
    /// Sends a notification to everyone and waits until <paramref name="client"/> has it: everything the server sent
    /// that socket before the marker has arrived by then.
    /// </summary>
    private static async Task SendMarkerAsync(BmsServerHost host, SocketIoTestClient client)
    {
        var title = $"marker {Guid.NewGuid():N}";
        var (sent, _, _) = await host.SendAsync(HttpMethod.Post, "/api/notifications", await host.TokenAsync("admin"), new { title, message = "marker", severity = "warning" });
        Assert.Equal(HttpStatusCode.Accepted, sent);
        await client.WaitForEventAsync("system:notification", e => e.GetProperty("data").GetProperty("title").GetString() == title);
    }
}
