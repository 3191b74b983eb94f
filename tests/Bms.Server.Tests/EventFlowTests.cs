using System.Net;
using System.Text.Json;
using Bms.Realtime.Client;
using Bms.Realtime.Server.Engine;
using Bms.Realtime.Server.Hosting;
using Bms.Realtime.Server.Namespaces;
using Bms.Server.EventFlow;
using Bms.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bms.Server.Tests;

/// <summary>The live event-flow view on <c>/admin</c>: records of broadcasts and connection transitions, admins only.</summary>
public sealed class EventFlowTests
{
    private static readonly TimeSpan Wait = BmsServerHost.Timeout;

    [Fact]
    public async Task ASaleProducesFlowRecordsWithItsTypeRoomsRecipientsAndCommitToSendTime()
    {
        await using var host = await BmsServerHost.StartAsync();
        await using var admin = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/admin", new { token = await host.TokenAsync("admin") });
        var snapshot = await admin.EmitWithAckAsync("event-flow:subscribe", new { });
        Assert.True(snapshot.GetProperty("ok").GetBoolean(), snapshot.GetRawText());
        Assert.Equal(JsonValueKind.Array, snapshot.GetProperty("records").ValueKind);
        Assert.True(snapshot.GetProperty("capacity").GetInt32() > 0);

        // Disposed below (its disconnect is recorded), so not with a using.
        var manager = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token = await host.TokenAsync("manager") });
        await using var terminal = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/pos", new { token = await host.TerminalTokenAsync() });
        Assert.True((await manager.EmitWithAckAsync("room:join", "store:1")).GetProperty("ok").GetBoolean());
        Assert.True((await terminal.EmitWithAckAsync("room:join", "store:1")).GetProperty("ok").GetBoolean());

        var (status, sale, _) = await host.SendAsync(HttpMethod.Post, "/api/transactions", await host.TokenAsync("cashier"),
            new { storeId = 1, lines = new[] { new { productId = 1, quantity = 1 } } });
        Assert.Equal(HttpStatusCode.Created, status);

        var records = await WaitForRecordsAsync(admin, all => all.Count(r => Name(r) == "transaction:created") >= 3);
        var sales = records.Where(r => Name(r) == "transaction:created").ToDictionary(r => r.GetProperty("namespace").GetString()!);
        Assert.Equal(["/admin", "/main", "/pos"], sales.Keys.Order(StringComparer.Ordinal));

        // One event: one id, delivered to every admin, and to the store's room on /main and /pos.
        var eventId = sales["/admin"].GetProperty("eventId").GetString();
        Assert.False(string.IsNullOrEmpty(eventId));
        Assert.All(sales.Values, r => Assert.Equal(eventId, r.GetProperty("eventId").GetString()));
        var delivered = await manager.WaitForEventAsync("transaction:created");
        Assert.Equal(delivered.GetProperty("id").GetString(), eventId);
        Assert.Equal(sale.GetProperty("id").GetString(), delivered.GetProperty("data").GetProperty("id").GetString());
        Assert.Empty(sales["/admin"].GetProperty("rooms").EnumerateArray());
        Assert.Equal(["store:1"], sales["/main"].GetProperty("rooms").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["store:1"], sales["/pos"].GetProperty("rooms").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1, sales["/admin"].GetProperty("recipients").GetInt32());
        Assert.Equal(1, sales["/main"].GetProperty("recipients").GetInt32());
        Assert.Equal(1, sales["/pos"].GetProperty("recipients").GetInt32());
        foreach (var record in sales.Values)
        {
            Assert.Equal("event", record.GetProperty("kind").GetString());
            Assert.Equal(1, record.GetProperty("storeId").GetInt32());
            Assert.True(record.GetProperty("payloadBytes").GetInt32() > 50, record.GetRawText());
            var commitToSend = record.GetProperty("commitToSendMs").GetDouble();
            Assert.InRange(commitToSend, 0.0, Wait.TotalMilliseconds);
            Assert.Equal(JsonValueKind.Null, record.GetProperty("payload").ValueKind);
        }

        // The stock change of the same sale is there too, and the sockets that connected while the admin watched.
        Assert.Contains(records, r => Name(r) == "inventory:updated" && r.GetProperty("namespace").GetString() == "/pos");
        Assert.Contains(records, r => Name(r) == "connect" && r.GetProperty("namespace").GetString() == "/pos"
            && r.GetProperty("actor").GetString() == "POS-001" && r.GetProperty("storeId").GetInt32() == 1);

        await manager.DisposeAsync();
        var disconnect = (await WaitForRecordsAsync(admin, all => all.Any(r => Name(r) == "disconnect" && Namespace(r) == "/main")))
            .First(r => Name(r) == "disconnect" && Namespace(r) == "/main");
        Assert.Equal("connection", disconnect.GetProperty("kind").GetString());
        Assert.False(string.IsNullOrEmpty(disconnect.GetProperty("reason").GetString()));
    }

    [Theory]
    [InlineData(false, "reconnect")]
    [InlineData(true, "recovered")]
    public async Task ADroppedConnectionIsRecordedAsADisconnectWithItsReasonThenAReconnectOrARecovery(bool recovery, string transition)
    {
        await using var host = await BmsServerHost.StartAsync(configure: b =>
            b.Services.Configure<RealtimeServerOptions>(o => o.ConnectionStateRecovery.Enabled = recovery));
        await using var admin = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/admin", new { token = await host.TokenAsync("admin") });
        await admin.EmitWithAckAsync("event-flow:subscribe", new { });
        var token = await host.TokenAsync("manager");
        await using var client = WebSocketClientFactory.Create(new WebSocketClientOptions
        {
            Url = host.BaseAddress,
            AccessTokenProvider = _ => ValueTask.FromResult<string?>(token),
            ReconnectionDelay = TimeSpan.FromMilliseconds(100),
            ReconnectionDelayMax = TimeSpan.FromMilliseconds(500),
            Transports = [TransportKind.WebSocket],
        });
        var main = client.Of("/main");
        await main.ConnectAsync().WaitAsync(Wait);
        await WaitForRecordsAsync(admin, all => all.Any(r => Name(r) == "connect" && Namespace(r) == "/main"));

        // Recovery resumes after the last event received (its offset): let one arrive first.
        var io = host.Services.GetRequiredService<RealtimeServer>();
        var ticked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (main.On<int>("tick", _ => ticked.TrySetResult()))
        {
            await io.Of("/main").EmitAsync("tick", 1);
            await ticked.Task.WaitAsync(Wait);
        }

        // The network drops: the engine connection closes without a namespace DISCONNECT.
        var socket = Assert.Single(io.Of("/main").Sockets.Values);
        Assert.True(io.Engine.TryGetSession(socket.EngineId, out var session));
        session!.Close(EngineCloseReason.TransportClose, "dropped by the test", sendClosePacket: false);

        var records = await WaitForRecordsAsync(admin, all => all.Any(r => Name(r) == transition && Namespace(r) == "/main"));
        var onMain = records.Where(r => Namespace(r) == "/main" && r.GetProperty("kind").GetString() == "connection").Select(r => (Name: Name(r), Reason: r.GetProperty("reason").GetString())).ToList();
        Assert.Equal([("connect", null), ("disconnect", "transport close"), (transition, null)], onMain);
        Assert.All(records.Where(r => Namespace(r) == "/main" && r.GetProperty("kind").GetString() == "connection"), r => Assert.Equal("manager", r.GetProperty("actor").GetString()));
    }

    [Fact]
    public async Task NothingIsRecordedWhileNobodyWatchesAndRecordingStopsWhenTheLastWatcherLeaves()
    {
        await using var host = await BmsServerHost.StartAsync();
        var io = host.Services.GetRequiredService<RealtimeServer>();
        var monitor = host.Services.GetRequiredService<EventFlowMonitor>();
        var cashier = await host.TokenAsync("cashier");
        Assert.Equal(HttpStatusCode.Created, (await host.SendAsync(HttpMethod.Post, "/api/transactions", cashier,
            new { storeId = 1, lines = new[] { new { productId = 2, quantity = 1 } } })).Status);
        Assert.False(monitor.Recording);
        Assert.Null(io.BroadcastObserver);

        await using (var admin = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/admin", new { token = await host.TokenAsync("admin") }))
        {
            var snapshot = await admin.EmitWithAckAsync("event-flow:subscribe", new { });
            Assert.DoesNotContain(snapshot.GetProperty("records").EnumerateArray(), r => r.GetProperty("kind").GetString() == "event");
            Assert.True(monitor.Recording);
            Assert.NotNull(io.BroadcastObserver);

            Assert.True((await admin.EmitWithAckAsync("event-flow:unsubscribe")).GetProperty("ok").GetBoolean());
            Assert.False(monitor.Recording);
            Assert.Null(io.BroadcastObserver);

            await admin.EmitWithAckAsync("event-flow:subscribe", new { });
            Assert.True(monitor.Recording);
        }

        // A watcher that disconnects stops the recording too.
        await Waits.UntilAsync(() => !monitor.Recording, "The condition did not hold within the timeout.", Wait, TimeSpan.FromMilliseconds(50));
        Assert.Null(io.BroadcastObserver);
    }

    [Fact]
    public async Task AnAdminWhoAsksForPayloadsGetsPreviewsAndOthersGetOnlySizes()
    {
        await using var host = await BmsServerHost.StartAsync();
        await using var admin = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/admin", new { token = await host.TokenAsync("admin") });
        Assert.True((await admin.EmitWithAckAsync("event-flow:subscribe", new { payloads = true })).GetProperty("ok").GetBoolean());

        Assert.Equal(HttpStatusCode.Created, (await host.SendAsync(HttpMethod.Post, "/api/transactions", await host.TokenAsync("cashier"),
            new { storeId = 1, lines = new[] { new { productId = 3, quantity = 1 } } })).Status);
        var records = await WaitForRecordsAsync(admin, all => all.Any(r => Name(r) == "transaction:created"));
        var payload = records.First(r => Name(r) == "transaction:created").GetProperty("payload").GetString()!;
        Assert.Contains("\"type\":\"transaction:created\"", payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CashiersAndManagersAreRefusedTheEventFlowAndNeverReceiveIt()
    {
        await using var host = await BmsServerHost.StartAsync();
        var manager = await host.TokenAsync("manager");
        var cashier = await host.TokenAsync("cashier");
        await using var watcher = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/admin", new { token = await host.TokenAsync("admin") });
        await watcher.EmitWithAckAsync("event-flow:subscribe", new { });

        await using var onMain = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token = manager });
        await using var onPos = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/pos", new { token = cashier });
        foreach (var client in new[] { onMain, onPos })
        {
            var refused = await client.EmitWithAckAsync("event-flow:subscribe", new { payloads = true });
            Assert.False(refused.GetProperty("ok").GetBoolean());
            Assert.Equal("forbidden", refused.GetProperty("error").GetString());
        }

        foreach (var token in new[] { manager, cashier })
        {
            await using var denied = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/admin", new { token });
            Assert.NotNull(denied.ConnectError);
        }

        await onMain.EmitWithAckAsync("room:join", "store:1");
        Assert.Equal(HttpStatusCode.Created, (await host.SendAsync(HttpMethod.Post, "/api/transactions", cashier,
            new { storeId = 1, lines = new[] { new { productId = 1, quantity = 1 } } })).Status);
        await onMain.WaitForEventAsync("transaction:created");
        await WaitForRecordsAsync(watcher, all => all.Any(r => Name(r) == "transaction:created"));
        Assert.Empty(onMain.EventsNamed("event-flow"));
        Assert.Empty(onPos.EventsNamed("event-flow"));
    }

    private static string? Name(JsonElement record) => record.GetProperty("name").GetString();

    private static string? Namespace(JsonElement record) => record.GetProperty("namespace").GetString();

    /// <summary>Every record received so far (snapshot pushes included), deduplicated by (node, seq), once <paramref name="done"/> holds.</summary>
    internal static async Task<List<JsonElement>> WaitForRecordsAsync(SocketIoTestClient admin, Func<List<JsonElement>, bool> done)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var all = admin.EventsNamed("event-flow")
                .SelectMany(e => e.GetProperty("records").EnumerateArray())
                .DistinctBy(r => (r.GetProperty("node").GetString(), r.GetProperty("seq").GetInt64()))
                .ToList();
            if (done(all))
            {
                return all;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The expected flow records did not arrive; got: {string.Join(", ", all.Select(r => $"{Name(r)} {Namespace(r)}"))}");
            }

            await Task.Delay(50).WaitAsync(Wait);
        }
    }
}
