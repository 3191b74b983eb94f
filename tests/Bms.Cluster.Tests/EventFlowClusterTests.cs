using System.Collections.Concurrent;
using System.Text.Json;
using Bms.Realtime.Client;

namespace Bms.Cluster.Tests;

/// <summary>The live event-flow view across two real Bms.Server processes sharing redis-server and PostgreSQL.</summary>
public sealed class EventFlowClusterTests(ClusterServices services) : IClassFixture<ClusterServices>
{
    private static readonly TimeSpan Wait = Infrastructure.Wait;

    [ClusterFact]
    public async Task AnAdminOnNodeASeesTheSalesAndConnectionsOfNodeB()
    {
        var database = services.NewDatabase();
        await using var a = await ServerNode.StartAsync("A", database, services.Redis.Configuration).WaitAsync(TimeSpan.FromMinutes(2));
        await using var b = await ServerNode.StartAsync("B", database, services.Redis.Configuration).WaitAsync(TimeSpan.FromMinutes(2));

        await using var adminClient = a.NewClient(await a.LoginAsync("admin", "admin123!"));
        var admin = adminClient.Of("/admin");
        var received = new ConcurrentQueue<JsonElement>();
        admin.On<JsonElement>("event-flow", batch =>
        {
            foreach (var record in batch.GetProperty("records").EnumerateArray())
            {
                received.Enqueue(record.Clone());
            }
        });
        await admin.ConnectAsync().WaitAsync(Wait);
        var snapshot = await admin.EmitWithAckAsync<JsonElement>("event-flow:subscribe", Wait, new { }).WaitAsync(Wait);
        Assert.True(snapshot.GetProperty("ok").GetBoolean(), snapshot.GetRawText());

        // A manager connects to node B and a cashier sells through node B.
        await using var managerClient = b.NewClient(await b.LoginAsync("manager", "manager123!"));
        var main = managerClient.Of("/main");
        await main.ConnectAsync().WaitAsync(Wait);
        Assert.True((await main.JoinRoomAsync("store:1").WaitAsync(Wait)).Ok);
        await b.PostAsync("/api/transactions", new { storeId = 1, lines = new[] { new { productId = 1, quantity = 1 } } },
            await b.LoginAsync("cashier", "cashier123!"));

        var fromB = await WaitForAsync(received, r => Node(r) == b.NodeId && Name(r) == "transaction:created" && Namespace(r) == "/main");
        Assert.Equal(["store:1"], fromB.GetProperty("rooms").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1, fromB.GetProperty("recipients").GetInt32());
        Assert.Equal(1, fromB.GetProperty("storeId").GetInt32());
        Assert.InRange(fromB.GetProperty("commitToSendMs").GetDouble(), 0.0, Wait.TotalMilliseconds);
        var eventId = fromB.GetProperty("eventId").GetString();

        // Node A delivered the same event (through Redis) to its own admin: recorded there, without a commit time.
        var onA = await WaitForAsync(received, r => Node(r) == a.NodeId && Name(r) == "transaction:created" && Namespace(r) == "/admin");
        Assert.Equal(eventId, onA.GetProperty("eventId").GetString());
        Assert.Equal(1, onA.GetProperty("recipients").GetInt32());
        Assert.Equal(JsonValueKind.Null, onA.GetProperty("commitToSendMs").ValueKind);

        await WaitForAsync(received, r => Node(r) == b.NodeId && Name(r) == "connect" && Namespace(r) == "/main"
            && r.GetProperty("actor").GetString() == "manager");
    }

    private static string? Node(JsonElement r) => r.GetProperty("node").GetString();

    private static string? Name(JsonElement r) => r.GetProperty("name").GetString();

    private static string? Namespace(JsonElement r) => r.GetProperty("namespace").GetString();

    private static async Task<JsonElement> WaitForAsync(ConcurrentQueue<JsonElement> received, Func<JsonElement, bool> match)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            foreach (var record in received)
            {
                if (match(record))
                {
                    return record;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("No matching flow record; got: " + string.Join(", ", received.Select(r => $"{Node(r)} {Name(r)} {Namespace(r)}")));
            }

            await Task.Delay(100).WaitAsync(Wait);
        }
    }
}
