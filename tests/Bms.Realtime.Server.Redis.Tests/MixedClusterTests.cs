using System.Text.Json;
using Bms.Realtime.Server.Namespaces;
using static Bms.Realtime.Server.Redis.Tests.RedisAdapterClusterTests;

namespace Bms.Realtime.Server.Redis.Tests;

/// <summary>
/// One of our nodes and the official Node.js socket.io 4.8 server with the official <c>@socket.io/redis-adapter</c>
/// (interop/redis-node-server.mjs) in one cluster on one redis-server.
/// </summary>
public sealed class MixedClusterTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [RedisFact]
    public async Task RoomBroadcastsTravelFromOurNodeToTheNodeServerAndBack()
    {
        await using var redis = await RedisServerProcess.StartAsync().WaitAsync(Wait);
        await using var ours = await ClusterNode.StartAsync(redis).WaitAsync(Wait);
        await using var node = await NodeRedisServer.StartAsync(redis).WaitAsync(TimeSpan.FromMinutes(5));
        await using var onOurs = await ConnectAsync(ours, "store:1");
        await using var onNode = await TestClient.ConnectAsync(node.Url, "store:1", null).WaitAsync(Wait);
        await using var onNodeOutside = await TestClient.ConnectAsync(node.Url, null, null).WaitAsync(Wait);
        Assert.Equal(2, await ours.Main.Adapter.ServerCountAsync().AsTask().WaitAsync(Wait));

        // C# -> Node: a room broadcast with binary (MessagePack bin -> Buffer -> BINARY_EVENT on the Node side).
        await ours.Main.To("store:1").EmitAsync("sale", new Sale(7, [1, 2, 3, 255])).AsTask().WaitAsync(Wait);
        var atNode = await onNode.Sales.NextAsync(Wait);
        Assert.Equal(7, atNode!.Id);
        Assert.Equal([1, 2, 3, 255], atNode.Bytes);
        Assert.Equal(7, (await onOurs.Sales.NextAsync(Wait))!.Id);
        Assert.True(await onNodeOutside.Sales.StaysEmptyAsync(TimeSpan.FromMilliseconds(500)).WaitAsync(Wait), node.Log);

        // Node -> C#: the Node server broadcasts to the room through its official adapter.
        var ack = await onNode.Main.EmitWithAckAsync<JsonElement>("broadcast", Wait, new { room = "store:1", @event = "restock", payload = new { sku = "A-1", quantity = 5 } }).WaitAsync(Wait);
        Assert.True(ack.GetProperty("ok").GetBoolean());
        var restock = await onOurs.Events.NextAsync(Wait);
        Assert.Equal("A-1", restock.GetProperty("sku").GetString());
        Assert.Equal(5, restock.GetProperty("quantity").GetInt32());
        Assert.Equal("A-1", (await onNode.Events.NextAsync(Wait)).GetProperty("sku").GetString());
        Assert.True(await onNodeOutside.Events.StaysEmptyAsync(TimeSpan.FromMilliseconds(300)).WaitAsync(Wait));

        // Node -> C# with Except: our socket is excluded by its id.
        await onNode.Main.EmitWithAckAsync<JsonElement>("broadcast", Wait, new { @event = "tick", except = onOurs.Main.Id, payload = 1 }).WaitAsync(Wait);
        Assert.Equal(1, (await onNode.Events.NextAsync(Wait)).GetInt32());
        Assert.True(await onOurs.Events.StaysEmptyAsync(TimeSpan.FromMilliseconds(500)).WaitAsync(Wait));
    }

    [RedisFact]
    public async Task AcknowledgementsFetchAndServerSideEmitsWorkAcrossTheMixedCluster()
    {
        await using var redis = await RedisServerProcess.StartAsync().WaitAsync(Wait);
        await using var ours = await ClusterNode.StartAsync(redis).WaitAsync(Wait);
        await using var node = await NodeRedisServer.StartAsync(redis).WaitAsync(TimeSpan.FromMinutes(5));
        await using var onOurs = await ConnectAsync(ours, "store:1", answer: "ours");
        await using var onNode = await TestClient.ConnectAsync(node.Url, "store:1", "node").WaitAsync(Wait);

        // Our broadcast with ack: the Node server answers BROADCAST with a client count and relays its client's ack.
        var answers = await ours.Main.To("store:1").Timeout(TimeSpan.FromSeconds(5)).EmitWithAckAsync("confirm", 1).WaitAsync(Wait);
        Assert.Equal(["node", "ours"], answers.Select(a => a.GetRaw(0).GetProperty("node").GetString()!).Order().ToArray());

        // The Node server's broadcast with ack: our node answers its MessagePack BROADCAST request.
        var fromNode = await onNode.Main.EmitWithAckAsync<JsonElement>("broadcast-with-ack", Wait, new { room = "store:1", @event = "confirm", payload = 10, timeout = 5000 }).WaitAsync(Wait);
        Assert.True(fromNode.GetProperty("ok").GetBoolean(), fromNode.ToString());
        var nodes = fromNode.GetProperty("responses").EnumerateArray().Select(r => r.GetProperty("node").GetString()!).Order().ToArray();
        Assert.Equal(["node", "ours"], nodes);

        // fetchSockets both ways.
        var seenByUs = await ours.Main.FetchSocketsAsync().AsTask().WaitAsync(Wait);
        Assert.Contains(seenByUs, s => s.Id == onNode.Main.Id && s.Rooms.Contains("store:1"));
        var seenByNode = await onNode.Main.EmitWithAckAsync<JsonElement>("fetch-sockets", Wait).WaitAsync(Wait);
        Assert.Contains(seenByNode.EnumerateArray(), s => s.GetProperty("id").GetString() == onOurs.Main.Id
            && s.GetProperty("rooms").EnumerateArray().Any(r => r.GetString() == "store:1"));

        // Server-side emits both ways.
        await ours.Main.ServerSideEmitAsync("ping-nodes", 42).AsTask().WaitAsync(Wait);
        var atNode = await onNode.Events.NextAsync(Wait);
        Assert.Equal("ping-nodes", atNode[0].GetString());
        Assert.Equal(42, atNode[1].GetInt32());
        await onNode.Main.EmitWithAckAsync<JsonElement>("server-side-emit", Wait, new { @event = "sale:created", args = new object[] { new { id = 9 } } }).WaitAsync(Wait);
        var atOurs = await ours.ServerSideEvents.NextAsync(Wait);
        Assert.Equal("sale:created", atOurs[0]);
        Assert.Equal(9, ((JsonElement)atOurs[1]!).GetProperty("id").GetInt32());

        // Remote join from our node on the Node server's socket, then a broadcast to that room reaches it.
        await ours.Main.In(onNode.Main.Id!).SocketsJoinAsync("vip").AsTask().WaitAsync(Wait);
        await EventuallyAsync(async () => (await ours.Main.To("vip").FetchSocketsAsync()).Count == 1);
        await ours.Main.To("vip").EmitAsync("sale", new Sale(11, [])).AsTask().WaitAsync(Wait);
        Assert.Equal(11, (await onNode.Sales.NextAsync(Wait))!.Id);
    }

    [RedisFact]
    public async Task NodeServerSideEmitWithAckGetsTheAnswerOfOurNode()
    {
        await using var redis = await RedisServerProcess.StartAsync().WaitAsync(Wait);
        await using var ours = await ClusterNode.StartAsync(redis).WaitAsync(Wait);
        await using var node = await NodeRedisServer.StartAsync(redis, requestsTimeout: TimeSpan.FromSeconds(2)).WaitAsync(TimeSpan.FromMinutes(5));
        await using var onNode = await TestClient.ConnectAsync(node.Url, null, null).WaitAsync(Wait);
        await EventuallyAsync(async () => await onNode.Main.EmitWithAckAsync<int>("server-count", Wait) == 2);

        var result = await onNode.Main.EmitWithAckAsync<JsonElement>("server-side-emit-with-ack", Wait, new { @event = "whoami", args = new object[] { 5, "x" } }).WaitAsync(Wait);

        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString() + node.Log);
        var answer = Assert.Single(result.GetProperty("responses").EnumerateArray());
        Assert.Equal("ours", answer.GetProperty("node").GetString());
        Assert.Equal(ours.Io.NodeId, answer.GetProperty("nodeId").GetString());
        Assert.Equal(5, answer.GetProperty("args")[0].GetInt32());
        Assert.Equal("x", answer.GetProperty("args")[1].GetString());

        // An event that no handler of ours acknowledges: the Node server's wait ends with its own timeout error.
        var silent = await onNode.Main.EmitWithAckAsync<JsonElement>("server-side-emit-with-ack", Wait, new { @event = "nobody-answers", args = new object[] { 1 } }).WaitAsync(Wait);
        Assert.False(silent.GetProperty("ok").GetBoolean(), silent.ToString());
        Assert.Equal("timeout reached: only 0 responses received out of 1", silent.GetProperty("error").GetString());
        Assert.Equal("nobody-answers", (await ours.ServerSideEvents.TakeAsync(2, Wait))[1][0]);
    }

    [RedisFact]
    public async Task OurServerSideEmitWithAckGetsTheAnswerOfTheNodeServer()
    {
        await using var redis = await RedisServerProcess.StartAsync().WaitAsync(Wait);
        await using var ours = await ClusterNode.StartAsync(redis).WaitAsync(Wait);
        await using var node = await NodeRedisServer.StartAsync(redis).WaitAsync(TimeSpan.FromMinutes(5));
        await EventuallyAsync(async () => await ours.Main.Adapter.ServerCountAsync() == 2);

        var responses = await ours.Main.ServerSideEmitWithAckAsync("whoami", [5, new { store = 1 }], TimeSpan.FromSeconds(10)).AsTask().WaitAsync(Wait);

        var answer = Assert.Single(responses);
        Assert.Equal("node", answer.GetProperty("node").GetString());
        Assert.Equal(node.Uid(), answer.GetProperty("uid").GetString());
        Assert.Equal(5, answer.GetProperty("args")[0].GetInt32());
        Assert.Equal(1, answer.GetProperty("args")[1].GetProperty("store").GetInt32());

        // No listener on the Node server acknowledges this one: our wait times out with nothing.
        var timeout = await Assert.ThrowsAsync<ServerSideEmitTimeoutException>(
            () => ours.Main.ServerSideEmitWithAckAsync("nobody-answers", [1], TimeSpan.FromSeconds(1)).AsTask()).WaitAsync(Wait);
        Assert.Empty(timeout.Responses);
        Assert.Equal(1, timeout.Expected);
        Assert.Equal(0, ours.MainAdapter.PendingServerSideEmits);
    }
}
