using System.Globalization;
using System.Text.Json;
using Bms.Realtime.Client;

namespace Bms.Cluster.Tests;

/// <summary>Two and three real Bms.Server processes on one redis-server and one PostgreSQL.</summary>
public sealed class MultiNodeTests(ClusterServices services) : IClassFixture<ClusterServices>
{
    private static readonly TimeSpan Wait = Infrastructure.Wait;

    [ClusterFact]
    public async Task ASalePostedToNodeAReachesMainClientsOnNodesBAndC()
    {
        var database = services.NewDatabase();
        await using var a = await ServerNode.StartAsync("A", database, services.Redis.Configuration).WaitAsync(TimeSpan.FromMinutes(2));
        await using var b = await ServerNode.StartAsync("B", database, services.Redis.Configuration).WaitAsync(TimeSpan.FromMinutes(2));
        await using var c = await ServerNode.StartAsync("C", database, services.Redis.Configuration).WaitAsync(TimeSpan.FromMinutes(2));

        // Users and products live in the shared database: a token and product ids from A are valid on B and C.
        var token = await a.LoginAsync("cashier", "cashier123!");
        var product = (await b.GetAsync("/api/products", token)).EnumerateArray().First(p => p.GetProperty("storeId").GetInt32() == 1 && p.GetProperty("quantity").GetInt32() > 5);
        var productId = product.GetProperty("id").GetInt32();

        await using var onB = await MainClient.ConnectAsync(b, token, "store:1");
        await using var onC = await MainClient.ConnectAsync(c, token, "store:1");
        await using var onA = await MainClient.ConnectAsync(a, token, "store:1");

        var sale = await a.PostAsync("/api/transactions", new { storeId = 1, lines = new[] { new { productId, quantity = 2 } } }, token);
        var saleId = sale.GetProperty("id").ToString();

        foreach (var (name, client) in new[] { ("B", onB), ("C", onC), ("A", onA) })
        {
            var created = await client.Next("transaction:created").WaitAsync(Wait);
            Assert.Equal(saleId, created.GetProperty("data").GetProperty("id").ToString());
            Assert.Equal("transaction:created", created.GetProperty("type").GetString());
            var inventory = await client.Next("inventory:updated").WaitAsync(Wait);
            Assert.Equal(productId, inventory.GetProperty("data").GetProperty("productId").GetInt32());
            Assert.True(client.IsConnected, name);
        }

        // The stock change is shared: B reads what A wrote.
        var after = (await b.GetAsync("/api/products", token)).EnumerateArray().First(p => p.GetProperty("id").GetInt32() == productId);
        Assert.Equal(product.GetProperty("quantity").GetInt32() - 2, after.GetProperty("quantity").GetInt32());
        Assert.Contains("trace ", a.Log, StringComparison.Ordinal);
        Assert.Contains("Remote broadcast transaction:created", b.Log, StringComparison.Ordinal);
    }

    [ClusterFact]
    public async Task RoomMembershipChangesOnOneNodeAreSeenFromAnother()
    {
        var database = services.NewDatabase();
        await using var a = await ServerNode.StartAsync("A", database, services.Redis.Configuration).WaitAsync(TimeSpan.FromMinutes(2));
        await using var b = await ServerNode.StartAsync("B", database, services.Redis.Configuration).WaitAsync(TimeSpan.FromMinutes(2));
        var admin = await a.LoginAsync("admin", "admin123!");
        var cashier = await b.LoginAsync("cashier", "cashier123!");
        await using var onB = await MainClient.ConnectAsync(b, cashier, "store:1");

        var joined = await WaitForSocketAsync(a, admin, onB.Id, rooms => rooms.Contains("product:3"), () => onB.Main.JoinRoomAsync("product:3"));
        Assert.Equal(b.NodeId, joined.GetProperty("node").GetString());
        Assert.Equal("/main", joined.GetProperty("namespace").GetString());
        Assert.Equal("websocket", joined.GetProperty("transport").GetString());
        Assert.Equal("cashier", joined.GetProperty("user").GetProperty("name").GetString());
        Assert.True(joined.GetProperty("connectedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.Contains("store:1", Rooms(joined));

        await WaitForSocketAsync(a, admin, onB.Id, rooms => !rooms.Contains("product:3"), () => onB.Main.LeaveRoomAsync("product:3"));

        // A broadcast from A to a room joined on B reaches the socket on B.
        await using var adminOnA = await MainClient.ConnectAsync(a, admin, null);
        var note = await a.PostAsync("/api/notifications", new { title = "Cluster", message = "hello from A", severity = "info" }, admin);
        Assert.Equal("Cluster", (await onB.Next("system:notification").WaitAsync(Wait)).GetProperty("data").GetProperty("title").GetString());
        _ = note;
    }

    [ClusterFact]
    public async Task MetricsExposeTheNamedSeriesWithPlausibleValuesAfterAScriptedLoad()
    {
        var database = services.NewDatabase();
        var limits = new Dictionary<string, string> { ["Bms__Realtime__EventBurst"] = "5", ["Bms__Realtime__EventsPerSecond"] = "1" };
        await using var a = await ServerNode.StartAsync("A", database, services.Redis.Configuration, limits).WaitAsync(TimeSpan.FromMinutes(2));
        await using var b = await ServerNode.StartAsync("B", database, services.Redis.Configuration, limits).WaitAsync(TimeSpan.FromMinutes(2));
        var cashier = await a.LoginAsync("cashier", "cashier123!");
        var productId = (await a.GetAsync("/api/products", cashier)).EnumerateArray().First(p => p.GetProperty("storeId").GetInt32() == 1).GetProperty("id").GetInt32();

        // Scripted load: two clients per node in store:1, pings with acks, three sales on A, a flood on B, a terminal report on B.
        var clients = new List<MainClient>();
        try
        {
            foreach (var node in new[] { a, a, b, b })
            {
                clients.Add(await MainClient.ConnectAsync(node, cashier, "store:1"));
            }

            foreach (var client in clients)
            {
                await client.Main.EmitWithAckAsync("ping", Wait).WaitAsync(Wait);
            }

            for (var i = 0; i < 3; i++)
            {
                await a.PostAsync("/api/transactions", new { storeId = 1, lines = new[] { new { productId, quantity = 1 } } }, cashier);
            }

            foreach (var client in clients)
            {
                for (var i = 0; i < 3; i++)
                {
                    await client.Next("transaction:created").WaitAsync(Wait);
                }
            }

            var flood = clients[^1];
            for (var i = 0; i < 12 && flood.IsConnected; i++)
            {
                await flood.Main.EmitAsync("ping").AsTask().WaitAsync(Wait);
            }

            var terminalToken = await b.TerminalLoginAsync("POS-001", "pos-secret-001");
            await using var terminal = b.NewClient(terminalToken);
            var pos = terminal.Of("/pos");
            await pos.ConnectAsync().WaitAsync(Wait);
            var lastSync = DateTimeOffset.UtcNow.AddSeconds(-30);
            await pos.EmitWithAckAsync("sync:status", Wait, new { isOnline = true, isSyncing = false, lastSync, pendingTransactions = 3, pendingProducts = 1, syncErrors = Array.Empty<string>() }).WaitAsync(Wait);

            await Task.Delay(TimeSpan.FromSeconds(1)).WaitAsync(Wait);
            var metricsA = new PrometheusText(await a.GetTextAsync("/metrics"));
            var metricsB = new PrometheusText(await b.GetTextAsync("/metrics"));

            Assert.True(metricsA.Sum("bms_realtime_connections", "namespace=\"/main\"") >= 2, metricsA.Text);
            Assert.True(metricsB.Sum("bms_realtime_connections", "namespace=\"/pos\"") >= 1);
            Assert.True(metricsA.Sum("bms_realtime_connects_total") >= 2);
            Assert.True(metricsA.Sum("bms_realtime_packets_in_total") >= 4);
            Assert.True(metricsA.Sum("bms_realtime_bytes_in_bytes_total") > 0);
            Assert.True(metricsA.Sum("bms_realtime_packets_out_total") >= 6);
            Assert.True(metricsA.Sum("bms_realtime_bytes_out_bytes_total") > 0);
            Assert.True(metricsA.Sum("bms_realtime_broadcast_fanout_count") >= 3);
            Assert.True(metricsA.Sum("bms_realtime_ack_duration_seconds_count", "direction=\"server\"") >= 2);
            Assert.InRange(metricsA.Sum("bms_realtime_ack_duration_seconds_sum", "direction=\"server\""), 0, 10);
            Assert.True(metricsB.Sum("bms_realtime_rate_limited_total", "kind=\"events\"") >= 1, metricsB.Text);
            Assert.True(metricsA.Sum("bms_realtime_adapter_published_total", "kind=\"broadcast\"") >= 3);
            Assert.True(metricsB.Sum("bms_realtime_adapter_received_total", "kind=\"broadcast\"") >= 3);
            Assert.True(metricsA.Has("bms_realtime_adapter_errors_total"));
            Assert.Equal(1, metricsA.Sum("bms_realtime_adapter_connected"));
            Assert.Equal(3, metricsB.Sum("bms_pos_sync_pending", "terminal=\"POS-001\"", "kind=\"transactions\""));
            Assert.Equal(1, metricsB.Sum("bms_pos_sync_pending", "terminal=\"POS-001\"", "kind=\"products\""));
            Assert.InRange(metricsB.Sum("bms_pos_sync_lag_seconds", "terminal=\"POS-001\""), 25, 600);
            Assert.Contains("\"status\":\"Healthy\"", await b.GetTextAsync("/health/ready"), StringComparison.Ordinal);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    private static async Task<JsonElement> WaitForSocketAsync(ServerNode node, string adminToken, string socketId, Func<IReadOnlyCollection<string>, bool> condition, Func<Task> change)
    {
        await change().WaitAsync(Wait);
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var sockets = await node.GetAsync("/api/admin/sockets", adminToken);
            var socket = sockets.EnumerateArray().FirstOrDefault(s => s.GetProperty("id").GetString() == socketId);
            if (socket.ValueKind == JsonValueKind.Object && condition(Rooms(socket)))
            {
                return socket;
            }

            Assert.True(DateTime.UtcNow < deadline, $"socket {socketId} not listed as expected: {sockets}");
            await Task.Delay(100).WaitAsync(Wait);
        }
    }

    private static List<string> Rooms(JsonElement socket) => [.. socket.GetProperty("rooms").EnumerateArray().Select(r => r.GetString()!)];
}
