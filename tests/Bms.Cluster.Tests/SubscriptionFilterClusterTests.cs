using System.Text.Json;
using Bms.Realtime.Client;

namespace Bms.Cluster.Tests;

/// <summary>Subscription filters across two real Bms.Server processes sharing redis-server and PostgreSQL.</summary>
public sealed class SubscriptionFilterClusterTests(ClusterServices services) : IClassFixture<ClusterServices>
{
    private static readonly TimeSpan Wait = Infrastructure.Wait;

    [ClusterFact]
    public async Task AFilterOnNodeBNarrowsEventsPublishedOnNodeA()
    {
        var database = services.NewDatabase();
        await using var a = await ServerNode.StartAsync("A", database, services.Redis.Configuration).WaitAsync(TimeSpan.FromMinutes(2));
        await using var b = await ServerNode.StartAsync("B", database, services.Redis.Configuration).WaitAsync(TimeSpan.FromMinutes(2));
        var manager = await a.LoginAsync("manager", "manager123!");

        await using var plainClient = b.NewClient(manager);
        await using var filteredClient = b.NewClient(manager);
        var plain = await ConnectAsync(plainClient);
        var filtered = await ConnectAsync(filteredClient);
        await using var subscription = await filtered.Socket.SubscribeAsync("inventory:updated", new { productId = 2, delta = new { gt = 0 } })
            .WaitAsync(Wait);

        await a.PostAsync("/api/inventory/adjust", new { productId = 1, delta = 3, reason = "count" }, manager);
        await a.PostAsync("/api/inventory/adjust", new { productId = 2, delta = -1, reason = "count" }, manager);
        await a.PostAsync("/api/inventory/adjust", new { productId = 2, delta = 4, reason = "count" }, manager);

        Assert.Equal([1, 2, 2], await plain.Events.TakeAsync(3, Wait));
        Assert.Equal(2, await filtered.Events.NextAsync(Wait));
        // The plain socket on the same node has all three, so the filtered one would have had its two others by now.
        Assert.True(await filtered.Events.StaysEmptyAsync(TimeSpan.FromMilliseconds(500)));
        Assert.Contains("Remote broadcast inventory:updated", b.Log, StringComparison.Ordinal);
    }

    private static async Task<(NamespaceSocket Socket, Collector<int> Events)> ConnectAsync(WebSocketClient client)
    {
        var socket = client.Of("/main");
        var events = new Collector<int>();
        socket.On<JsonElement>("inventory:updated", e => events.Add(e.GetProperty("data").GetProperty("productId").GetInt32()));
        await socket.ConnectAsync().WaitAsync(Wait);
        var joined = await socket.JoinRoomAsync("store:1").WaitAsync(Wait);
        Assert.True(joined.Ok, joined.Error);
        return (socket, events);
    }
}
