using System.Text.Json;
using Bms.Realtime.Client;
using Bms.Realtime.Server.Namespaces;

namespace Bms.Realtime.Server.Redis.Tests;

/// <summary>Two of our nodes on one real redis-server: every cluster operation of the adapter.</summary>
public sealed class RedisAdapterClusterTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    public sealed record Sale(int Id, byte[] Bytes);

    [RedisFact]
    public async Task RoomBroadcastFromOneNodeReachesSocketsInThatRoomOnBothNodesAndNobodyElse()
    {
        await using var redis = await RedisServerProcess.StartAsync().WaitAsync(Wait);
        await using var a = await ClusterNode.StartAsync(redis).WaitAsync(Wait);
        await using var b = await ClusterNode.StartAsync(redis).WaitAsync(Wait);
        await using var onA = await ConnectAsync(a, "store:1");
        await using var onB = await ConnectAsync(b, "store:1");
        await using var outside = await ConnectAsync(b, null);

        Assert.Equal(2, await a.Main.Adapter.ServerCountAsync().AsTask().WaitAsync(Wait));
        await a.Main.To("store:1").EmitAsync("sale", new Sale(7, [1, 2, 3])).AsTask().WaitAsync(Wait);

        var remote = await onB.Sales.NextAsync(Wait);
        Assert.Equal(7, remote!.Id);
        Assert.Equal([1, 2, 3], remote.Bytes);
        Assert.Equal(7, (await onA.Sales.NextAsync(Wait))!.Id);
        Assert.True(await outside.Sales.StaysEmptyAsync(TimeSpan.FromMilliseconds(500)).WaitAsync(Wait));
    }

    [RedisFact]
    public async Task ExceptExcludesSocketsOfTheExcludedRoomOnTheOtherNode()
    {
        await using var redis = await RedisServerProcess.StartAsync().WaitAsync(Wait);
        await using var a = await ClusterNode.StartAsync(redis).WaitAsync(Wait);
        await using var b = await ClusterNode.StartAsync(redis).WaitAsync(Wait);
        await using var vip = await ConnectAsync(b, "store:1");
        await using var regular = await ConnectAsync(b, "store:1");
        Assert.True((await vip.Main.JoinRoomAsync("vip").WaitAsync(Wait)).Ok);

        await a.Main.To("store:1").Except("vip").EmitAsync("sale", new Sale(1, [])).AsTask().WaitAsync(Wait);
        await a.Main.Except(regular.Main.Id!).EmitAsync("sale", new Sale(2, [])).AsTask().WaitAsync(Wait);

        Assert.Equal(1, (await regular.Sales.NextAsync(Wait))!.Id);
        Assert.Equal(2, (await vip.Sales.NextAsync(Wait))!.Id);
        Assert.True(await vip.Sales.StaysEmptyAsync(TimeSpan.FromMilliseconds(300)).WaitAsync(Wait));
        Assert.True(await regular.Sales.StaysEmptyAsync(TimeSpan.FromMilliseconds(300)).WaitAsync(Wait));
    }

    [RedisFact]
    public async Task BroadcastWithAckCollectsTheAcknowledgementsOfSocketsOnBothNodes()
    {
        await using var redis = await RedisServerProcess.StartAsync().WaitAsync(Wait);
        await using var a = await ClusterNode.StartAsync(redis).WaitAsync(Wait);
        await using var b = await ClusterNode.StartAsync(redis).WaitAsync(Wait);
        await using var onA = await ConnectAsync(a, "store:1", answer: "a");
        await using var onB1 = await ConnectAsync(b, "store:1", answer: "b1");
        await using var onB2 = await ConnectAsync(b, "store:1", answer: "b2");

        var answers = await a.Main.To("store:1").Timeout(TimeSpan.FromSeconds(5)).EmitWithAckAsync("confirm", 41).WaitAsync(Wait);

        var names = answers.Select(r => r.GetRaw(0).GetProperty("node").GetString()!).Order().ToArray();
        Assert.Equal(["a", "b1", "b2"], names);
        Assert.All(answers, r => Assert.Equal(42, r.GetRaw(0).GetProperty("value").GetInt32()));

        // From the other side as well, and a remote socket that never answers makes the wait time out with what arrived.
        await using var silent = await ConnectAsync(a, "store:1");
        var timeout = await Assert.ThrowsAsync<BroadcastAckTimeoutException>(
            () => b.Main.To("store:1").Timeout(TimeSpan.FromMilliseconds(800)).EmitWithAckAsync("confirm", 1)).WaitAsync(Wait);
        Assert.Equal(3, timeout.Responses.Count);
        Assert.Equal(4, timeout.Expected);
    }

    [RedisFact]
    public async Task FetchJoinLeaveAndDisconnectReachSocketsOnTheOtherNode()
    {
        await using var redis = await RedisServerProcess.StartAsync().WaitAsync(Wait);
        await using var a = await ClusterNode.StartAsync(redis).WaitAsync(Wait);
        await using var b = await ClusterNode.StartAsync(redis).WaitAsync(Wait);
        await using var onA = await ConnectAsync(a, "store:1");
        await using var onB = await ConnectAsync(b, "store:2");
        var remoteId = onB.Main.Id!;

        var all = await a.Main.FetchSocketsAsync().AsTask().WaitAsync(Wait);
        Assert.Equal(2, all.Count);
        var remote = Assert.Single(all, s => s.Id == remoteId);
        Assert.Contains("store:2", remote.Rooms);
        Assert.Equal(b.Io.NodeId, remote.NodeId);
        Assert.Equal("websocket", remote.Transport);
        Assert.True(remote.ConnectedAt > DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Single(await a.Main.To("store:2").FetchSocketsAsync().AsTask().WaitAsync(Wait));
        Assert.Single(await a.Main.Local.FetchSocketsAsync().AsTask().WaitAsync(Wait));

        await a.Main.In(remoteId).SocketsJoinAsync("vip").AsTask().WaitAsync(Wait);
        await Eventually(() => b.Main.Sockets[remoteId].Rooms.Contains("vip"));
        await a.Main.To("vip").EmitAsync("sale", new Sale(5, [])).AsTask().WaitAsync(Wait);
        Assert.Equal(5, (await onB.Sales.NextAsync(Wait))!.Id);

        await a.Main.In(remoteId).SocketsLeaveAsync("vip").AsTask().WaitAsync(Wait);
        await Eventually(() => !b.Main.Sockets[remoteId].Rooms.Contains("vip"));

        await a.Main.In(remoteId).DisconnectSocketsAsync().AsTask().WaitAsync(Wait);
        await Eventually(() => !b.Main.Sockets.ContainsKey(remoteId));
        Assert.True(onA.Main.IsConnected);
    }

    [RedisFact]
    public async Task ServerSideEmitReachesTheOtherNodesAndNotTheSender()
    {
        await using var redis = await RedisServerProcess.StartAsync().WaitAsync(Wait);
        await using var a = await ClusterNode.StartAsync(redis).WaitAsync(Wait);
        await using var b = await ClusterNode.StartAsync(redis).WaitAsync(Wait);

        await a.Main.ServerSideEmitAsync("ping-nodes", 42, new { store = 1 }).AsTask().WaitAsync(Wait);

        var args = await b.ServerSideEvents.NextAsync(Wait);
        Assert.Equal("ping-nodes", args[0]);
        Assert.Equal(42, ((JsonElement)args[1]!).GetInt32());
        Assert.Equal(1, ((JsonElement)args[2]!).GetProperty("store").GetInt32());
        Assert.True(await a.ServerSideEvents.StaysEmptyAsync(TimeSpan.FromMilliseconds(300)).WaitAsync(Wait));
    }

    [RedisFact]
    public async Task ServerSideEmitWithAckCollectsOneAnswerFromEveryOtherNode()
    {
        await using var redis = await RedisServerProcess.StartAsync().WaitAsync(Wait);
        await using var a = await ClusterNode.StartAsync(redis).WaitAsync(Wait);

        // Alone in the cluster: nobody to wait for.
        Assert.Empty(await a.Main.ServerSideEmitWithAckAsync("whoami", [0], Wait).AsTask().WaitAsync(Wait));

        await using var b = await ClusterNode.StartAsync(redis).WaitAsync(Wait);
        await using var c = await ClusterNode.StartAsync(redis).WaitAsync(Wait);
        Assert.Equal(3, await a.Main.Adapter.ServerCountAsync().AsTask().WaitAsync(Wait));

        var responses = await a.Main.ServerSideEmitWithAckAsync("whoami", [7, new { store = 1 }], TimeSpan.FromSeconds(10)).AsTask().WaitAsync(Wait);

        Assert.Equal(new[] { b.Io.NodeId, c.Io.NodeId }.Order(), responses.Select(r => r.GetProperty("nodeId").GetString()).Order());
        Assert.All(responses, r =>
        {
            Assert.Equal("ours", r.GetProperty("node").GetString());
            Assert.Equal(7, r.GetProperty("args")[0].GetInt32());
            Assert.Equal(1, r.GetProperty("args")[1].GetProperty("store").GetInt32());
        });

        // The handlers without an ack callback of the other nodes see the event as well; the sender's do not.
        Assert.Equal("whoami", (await b.ServerSideEvents.NextAsync(Wait))[0]);
        Assert.Equal("whoami", (await c.ServerSideEvents.NextAsync(Wait))[0]);
        Assert.True(await a.ServerSideEvents.StaysEmptyAsync(TimeSpan.FromMilliseconds(300)).WaitAsync(Wait));

        // And from another node.
        var fromC = await c.Main.ServerSideEmitWithAckAsync("whoami", [], TimeSpan.FromSeconds(10)).AsTask().WaitAsync(Wait);
        Assert.Equal(new[] { a.Io.NodeId, b.Io.NodeId }.Order(), fromC.Select(r => r.GetProperty("nodeId").GetString()).Order());
        Assert.Equal(0, a.MainAdapter.PendingServerSideEmits);
        Assert.Equal(0, c.MainAdapter.PendingServerSideEmits);
    }

    [RedisFact]
    public async Task ServerSideEmitWithAckTimesOutWithTheAnswersThatArrivedWhenANodeDoesNotAnswerInTime()
    {
        await using var redis = await RedisServerProcess.StartAsync().WaitAsync(Wait);
        await using var a = await ClusterNode.StartAsync(redis).WaitAsync(Wait);
        await using var b = await ClusterNode.StartAsync(redis).WaitAsync(Wait);
        await using var slow = await ClusterNode.StartAsync(redis).WaitAsync(Wait);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        slow.HoldAnswers = release.Task;

        var timeout = await Assert.ThrowsAsync<ServerSideEmitTimeoutException>(
            () => a.Main.ServerSideEmitWithAckAsync("whoami", [1], TimeSpan.FromSeconds(2)).AsTask()).WaitAsync(Wait);

        Assert.Equal(2, timeout.Expected);
        Assert.Equal(b.Io.NodeId, Assert.Single(timeout.Responses).GetProperty("nodeId").GetString());
        Assert.Equal("timeout reached: only 1 responses received out of 2", timeout.Message);
        Assert.Equal(0, a.MainAdapter.PendingServerSideEmits);

        // Cancelling the wait drops the request as well.
        using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(
                () => a.Main.ServerSideEmitWithAckAsync("whoami", [2], Timeout.InfiniteTimeSpan, cancel.Token).AsTask()).WaitAsync(Wait);
        }

        Assert.Equal(0, a.MainAdapter.PendingServerSideEmits);

        // The slow node's answers to both requests arrive late and are ignored; the next request gets exactly one
        // answer per node, all for itself.
        release.SetResult();
        Assert.Equal([1, 2], (await slow.HeldAnswersSent.TakeAsync(2, Wait)).Select(v => ((JsonElement)v!).GetInt32()).Order());
        slow.HoldAnswers = null;
        var responses = await a.Main.ServerSideEmitWithAckAsync("whoami", [3], TimeSpan.FromSeconds(10)).AsTask().WaitAsync(Wait);
        Assert.Equal(new[] { b.Io.NodeId, slow.Io.NodeId }.Order(), responses.Select(r => r.GetProperty("nodeId").GetString()).Order());
        Assert.All(responses, r => Assert.Equal(3, r.GetProperty("args")[0].GetInt32()));
        Assert.Equal(0, a.MainAdapter.PendingServerSideEmits);
    }

    [RedisFact]
    public async Task LocalBroadcastStaysOnTheNodeThatMadeIt()
    {
        await using var redis = await RedisServerProcess.StartAsync().WaitAsync(Wait);
        await using var a = await ClusterNode.StartAsync(redis).WaitAsync(Wait);
        await using var b = await ClusterNode.StartAsync(redis).WaitAsync(Wait);
        await using var onA = await ConnectAsync(a, "store:1");
        await using var onB = await ConnectAsync(b, "store:1");

        await a.Main.Local.To("store:1").EmitAsync("sale", new Sale(3, [])).AsTask().WaitAsync(Wait);

        Assert.Equal(3, (await onA.Sales.NextAsync(Wait))!.Id);
        Assert.True(await onB.Sales.StaysEmptyAsync(TimeSpan.FromMilliseconds(500)).WaitAsync(Wait));
    }

    internal static Task Eventually(Func<bool> condition) => Waits.UntilAsync(condition, within: Wait);

    internal static Task EventuallyAsync(Func<Task<bool>> condition) => Waits.UntilAsync(condition, within: Wait);

    internal static async Task<TestClient> ConnectAsync(ClusterNode node, string? room, string? answer = null) =>
        await TestClient.ConnectAsync(node.Url, room, answer).WaitAsync(Wait);

    /// <summary>Our client on /main collecting "sale" events, optionally answering "confirm" acks.</summary>
    internal sealed class TestClient : IAsyncDisposable
    {
        private readonly WebSocketClient _client;

        private TestClient(WebSocketClient client)
        {
            _client = client;
            Main = client.Of("/main");
        }

        public NamespaceSocket Main { get; }

        public Collector<Sale?> Sales { get; } = new();

        public Collector<JsonElement> Events { get; } = new();

        public static async Task<TestClient> ConnectAsync(Uri url, string? room, string? answer)
        {
            var client = new TestClient(WebSocketClientFactory.Create(new WebSocketClientOptions
            {
                Url = url,
                ReconnectionDelay = TimeSpan.FromMilliseconds(100),
                ReconnectionDelayMax = TimeSpan.FromMilliseconds(500),
                Timeout = TimeSpan.FromSeconds(10),
            }));
            client.Main.On<Sale>("sale", s => client.Sales.Add(s));
            foreach (var name in new[] { "restock", "tick", "server-side" })
            {
                client.Main.On<JsonElement>(name, e => client.Events.Add(e.Clone()));
            }

            if (answer is not null)
            {
                client.Main.On<int, object>("confirm", v => ValueTask.FromResult<object>(new { node = answer, value = v + 1 }));
            }

            await client.Main.ConnectAsync().WaitAsync(Wait);
            if (room is not null)
            {
                Assert.True((await client.Main.JoinRoomAsync(room).WaitAsync(Wait)).Ok);
            }

            return client;
        }

        public ValueTask DisposeAsync() => _client.DisposeAsync();
    }
}
