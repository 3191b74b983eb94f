using System.Text.Json;
using Bms.Realtime.Client;
using Bms.Realtime.Server.Adapters;
using Bms.Realtime.Server.Namespaces;
using Xunit;

namespace Bms.Testing;

/// <summary>
/// The behaviour every <see cref="IAdapter"/> owes, run by each implementation's test class (as SignalR runs one test
/// base against every HubLifetimeManager): rooms, broadcasts with rooms/except/local, fetch/join/leave/disconnect of
/// sockets, broadcasts with acknowledgements, server-side emits with and without acknowledgement, the node count and
/// connection-state recovery. A derived class starts <see cref="NodeCount"/> nodes of one cluster; clients are spread
/// over the nodes (client <c>i</c> on node <c>i % NodeCount</c>) and every operation is made on node 0, so a cluster
/// adapter is checked across nodes and the in-memory adapter (one node) against the same expectations.
/// Negative checks ("did not arrive") wait for a marker broadcast sent afterwards, never for a fixed time.
/// </summary>
public abstract class AdapterSpec
{
    /// <summary>The ceiling for one await.</summary>
    protected static readonly TimeSpan Wait = Waits.Step;

    /// <summary>How many nodes <see cref="StartClusterAsync"/> starts (1 for a single-node adapter).</summary>
    protected abstract int NodeCount { get; }

    /// <summary>
    /// Starts <see cref="NodeCount"/> nodes of one cluster, each a <see cref="RealtimeTestHost"/> built from
    /// <paramref name="options"/> (add the adapter under test to it); disposing the result stops them and anything they need.
    /// </summary>
    protected abstract Task<Cluster> StartClusterAsync(RealtimeTestHostOptions options);

    [Fact]
    public async Task ABroadcastToARoomReachesItsMembersOnEveryNodeAndNoOneElse()
    {
        await using var cluster = await StartAsync();
        var members = await cluster.ConnectAsync(NodeCount * 2, "store:1");
        var others = await cluster.ConnectAsync(NodeCount);

        await cluster.Node(0).Io.Of("/").To("store:1").EmitAsync("sale", 7).AsTask().WaitAsync(Wait);
        await cluster.Node(0).Io.Of("/").EmitAsync("marker").AsTask().WaitAsync(Wait);

        foreach (var member in members)
        {
            Assert.Equal(7, (await member.Next("sale")).GetInt32());
        }

        foreach (var other in others)
        {
            await other.Next("marker");
            Assert.Empty(other.Received("sale"));
        }
    }

    [Fact]
    public async Task ExceptLeavesOutTheMembersOfThatRoomOnEveryNode()
    {
        await using var cluster = await StartAsync();
        var kept = await cluster.ConnectAsync(NodeCount, "store:1");
        var excluded = await cluster.ConnectAsync(NodeCount, "store:1", "muted");

        await cluster.Node(0).Io.Of("/").To("store:1").Except("muted").EmitAsync("sale", 1).AsTask().WaitAsync(Wait);
        await cluster.Node(0).Io.Of("/").EmitAsync("marker").AsTask().WaitAsync(Wait);

        foreach (var client in kept)
        {
            Assert.Equal(1, (await client.Next("sale")).GetInt32());
        }

        foreach (var client in excluded)
        {
            await client.Next("marker");
            Assert.Empty(client.Received("sale"));
        }
    }

    [Fact]
    public async Task TheLocalFlagReachesOnlyTheSocketsOfTheEmittingNode()
    {
        await using var cluster = await StartAsync();
        var clients = await cluster.ConnectAsync(NodeCount * 2);

        await cluster.Node(0).Io.Of("/").Local.EmitAsync("local", 1).AsTask().WaitAsync(Wait);
        await cluster.Node(0).Io.Of("/").EmitAsync("marker").AsTask().WaitAsync(Wait);

        for (var i = 0; i < clients.Count; i++)
        {
            await clients[i].Next("marker");
            Assert.Equal(i % NodeCount == 0 ? 1 : 0, clients[i].Received("local").Count);
        }
    }

    [Fact]
    public async Task RoomsOfALocalSocketAreJoinedAndLeft()
    {
        await using var cluster = await StartAsync();
        var client = (await cluster.ConnectAsync(1, "a", "b"))[0];
        var adapter = cluster.Node(0).Io.Of("/").Adapter;

        Assert.Superset(new HashSet<string> { client.Sid, "a", "b" }, new HashSet<string>(adapter.GetRooms(client.Sid)));
        Assert.Contains(client.Sid, adapter.GetSockets(new HashSet<string> { "a" }));
        Assert.Contains("b", adapter.GetAllRooms());

        adapter.Delete(client.Sid, "a");
        Assert.DoesNotContain("a", adapter.GetRooms(client.Sid));
        Assert.DoesNotContain(client.Sid, adapter.GetSockets(new HashSet<string> { "a" }));
        adapter.DeleteAll(client.Sid);
        Assert.Empty(adapter.GetRooms(client.Sid));
    }

    [Fact]
    public async Task FetchSocketsReturnsTheMatchingSocketsOfEveryNodeWithTheirRooms()
    {
        await using var cluster = await StartAsync();
        var inRoom = await cluster.ConnectAsync(NodeCount, "store:2");
        await cluster.ConnectAsync(NodeCount);

        var all = await cluster.Node(0).Io.Of("/").FetchSocketsAsync().AsTask().WaitAsync(Wait);
        var store = await cluster.Node(0).Io.Of("/").In("store:2").FetchSocketsAsync().AsTask().WaitAsync(Wait);
        var local = await cluster.Node(0).Io.Of("/").Local.FetchSocketsAsync().AsTask().WaitAsync(Wait);

        Assert.Equal(NodeCount * 2, all.Count);
        Assert.Equal(inRoom.Select(c => c.Sid).Order(), store.Select(s => s.Id).Order());
        Assert.All(store, s => Assert.Contains("store:2", s.Rooms));
        Assert.Equal(2, local.Count);
    }

    [Fact]
    public async Task SocketsJoinAndSocketsLeaveMoveTheMatchingSocketsOfEveryNode()
    {
        await using var cluster = await StartAsync();
        var clients = await cluster.ConnectAsync(NodeCount * 2, "store:3");
        var io = cluster.Node(0).Io.Of("/");

        await io.In("store:3").SocketsJoinAsync("managers").AsTask().WaitAsync(Wait);
        await cluster.WaitUntilAsync(async () => (await io.In("managers").FetchSocketsAsync()).Count == clients.Count);
        await io.To("managers").EmitAsync("to-managers", 1).AsTask().WaitAsync(Wait);
        foreach (var client in clients)
        {
            await client.Next("to-managers");
        }

        await io.In("store:3").SocketsLeaveAsync("managers").AsTask().WaitAsync(Wait);
        await cluster.WaitUntilAsync(async () => (await io.In("managers").FetchSocketsAsync()).Count == 0);
        await io.To("managers").EmitAsync("to-managers", 2).AsTask().WaitAsync(Wait);
        await io.EmitAsync("marker").AsTask().WaitAsync(Wait);
        foreach (var client in clients)
        {
            await client.Next("marker");
            Assert.Single(client.Received("to-managers"));
        }
    }

    [Fact]
    public async Task DisconnectSocketsDisconnectsTheMatchingSocketsOfEveryNode()
    {
        await using var cluster = await StartAsync();
        var leaving = await cluster.ConnectAsync(NodeCount, "leaving");
        var staying = await cluster.ConnectAsync(NodeCount);

        await cluster.Node(0).Io.Of("/").In("leaving").DisconnectSocketsAsync().AsTask().WaitAsync(Wait);

        foreach (var client in leaving)
        {
            Assert.Equal(ClientDisconnectReason.IoServerDisconnect, await client.Disconnected.NextAsync(Wait));
        }

        await cluster.Node(0).Io.Of("/").EmitAsync("marker").AsTask().WaitAsync(Wait);
        foreach (var client in staying)
        {
            await client.Next("marker");
            Assert.True(client.Socket.IsConnected);
        }
    }

    [Fact]
    public async Task ABroadcastWithAcknowledgementsCollectsOneAnswerFromEverySocketOnEveryNode()
    {
        await using var cluster = await StartAsync();
        var clients = await cluster.ConnectAsync(NodeCount * 2, "asked");

        var answers = await cluster.Node(0).Io.Of("/").To("asked").Timeout(Wait).EmitWithAckAsync("question", 5).WaitAsync(Wait);

        Assert.Equal(clients.Count, answers.Count);
        Assert.All(answers, a => Assert.Equal(6, a.Get<int>(0)));
    }

    [Fact]
    public async Task AServerSideEmitReachesEveryOtherNodeAndItsAcknowledgedFormCollectsOneAnswerEach()
    {
        await using var cluster = await StartAsync();
        var io = cluster.Node(0).Io.Of("/");

        await io.ServerSideEmitAsync("hello", 1).AsTask().WaitAsync(Wait);
        var answers = await io.ServerSideEmitWithAckAsync("whoami", [], Wait).AsTask().WaitAsync(Wait);

        for (var i = 1; i < NodeCount; i++)
        {
            var received = await cluster.ServerSideEvents(i).NextAsync(Wait);
            Assert.Equal("hello", received[0]);
        }

        Assert.Equal(NodeCount - 1, answers.Count);
        Assert.Equal(
            Enumerable.Range(1, NodeCount - 1).Select(i => cluster.Node(i).Io.NodeId).Order(),
            answers.Select(a => a.GetString()!).Order());
        Assert.Empty(cluster.ServerSideEvents(0).All);
        Assert.Equal(NodeCount, await io.Adapter.ServerCountAsync().AsTask().WaitAsync(Wait));
    }

    [Fact]
    public async Task ASocketThatReconnectsToItsNodeRecoversTheBroadcastsItMissedFromAnyNode()
    {
        await using var cluster = await StartAsync();
        var client = (await cluster.ConnectAsync(1, "store:9"))[0];
        var last = cluster.Node(NodeCount - 1).Io.Of("/");
        await last.To("store:9").EmitAsync("sale", 1).AsTask().WaitAsync(Wait);
        Assert.Equal(1, (await client.Next("sale")).GetInt32());

        // The engine connection drops without a DISCONNECT (the network failed); the client reconnects by itself.
        var server = cluster.Node(0).Io;
        Assert.True(server.Engine.TryGetSession(server.Of("/").Sockets[client.Sid].EngineId, out var session));
        session!.Close(Bms.Realtime.Server.Engine.EngineCloseReason.TransportClose, "dropped by the test", sendClosePacket: false);
        await client.Disconnected.NextAsync(Wait);
        await last.To("store:9").EmitAsync("sale", 2).AsTask().WaitAsync(Wait);
        await last.To("store:9").EmitAsync("sale", 3).AsTask().WaitAsync(Wait);

        Assert.Equal(2, (await client.Next("sale")).GetInt32());
        Assert.Equal(3, (await client.Next("sale")).GetInt32());
        Assert.True(client.Socket.Recovered);
    }

    private Task<Cluster> StartAsync() => StartClusterAsync(Cluster.NodeOptions());

    /// <summary>The nodes of one test and its clients.</summary>
    public sealed class Cluster : IAsyncDisposable
    {
        private readonly List<RealtimeTestHost> _nodes;
        private readonly Func<ValueTask>? _stop;
        private readonly List<WebSocketClient> _clients = [];
        private readonly Dictionary<string, Collector<object?[]>> _serverSideEvents;

        /// <summary>Creates the cluster of <paramref name="nodes"/>; <paramref name="stop"/> runs after they stop (e.g. stops Redis).</summary>
        public Cluster(IReadOnlyList<RealtimeTestHost> nodes, Func<ValueTask>? stop = null)
        {
            _nodes = [.. nodes];
            _stop = stop;
            _serverSideEvents = nodes.ToDictionary(n => n.Io.NodeId, n => ServerSideEventsOf(n.Io));
        }

        /// <summary>Node <paramref name="index"/>.</summary>
        public RealtimeTestHost Node(int index) => _nodes[index];

        /// <summary>The server-side events node <paramref name="index"/> received.</summary>
        public Collector<object?[]> ServerSideEvents(int index) => _serverSideEvents[_nodes[index].Io.NodeId];

        /// <summary>
        /// The handlers every node of the spec runs on <c>/</c>: <c>join</c> (rooms, acknowledged), <c>question</c> is
        /// answered n + 1, server-side events are collected and <c>whoami</c> is acknowledged with the node id.
        /// Connection-state recovery is on.
        /// </summary>
        public static RealtimeTestHostOptions NodeOptions(RealtimeTestHostOptions? with = null) => new()
        {
            Configure = o =>
            {
                o.ConnectionStateRecovery.Enabled = true;
                with?.Configure?.Invoke(o);
            },
            Realtime = with?.Realtime,
            Builder = with?.Builder,
            Setup = io =>
            {
                var nsp = io.Of("/");
                nsp.OnConnection(socket => socket.On("join", e =>
                {
                    foreach (var room in e.Args.ToArray().OfType<JsonElement>())
                    {
                        socket.Join(room.GetString()!);
                    }

                    return e.AckAsync(true);
                }));
                nsp.OnServerSideEmit((args, ack) =>
                {
                    ServerSideEventsOf(io).Add(args);
                    return ack is not null && args[0] as string == "whoami" ? ack(io.NodeId) : ValueTask.CompletedTask;
                });
            },
        };

        /// <summary>Connects <paramref name="count"/> clients (client i to node i % nodes) and makes each join <paramref name="rooms"/>.</summary>
        public async Task<IReadOnlyList<SpecClient>> ConnectAsync(int count, params string[] rooms)
        {
            var clients = new List<SpecClient>();
            for (var i = 0; i < count; i++)
            {
                var client = WebSocketClientFactory.Create(new WebSocketClientOptions
                {
                    Url = _nodes[(_clients.Count) % _nodes.Count].Url,
                    ReconnectionDelay = TimeSpan.FromMilliseconds(100),
                    ReconnectionDelayMax = TimeSpan.FromMilliseconds(500),
                    Timeout = Waits.Short,
                });
                _clients.Add(client);
                var spec = new SpecClient(client.Of("/"));
                await spec.Socket.ConnectAsync().WaitAsync(Wait);
                var joined = rooms;
                if (joined.Length > 0)
                {
                    await spec.Socket.EmitWithAckAsync("join", Wait, joined).WaitAsync(Wait);
                }

                clients.Add(spec);
            }

            return clients;
        }

        /// <summary>Polls <paramref name="condition"/> until it holds (cluster operations are applied on the other nodes asynchronously).</summary>
        public Task WaitUntilAsync(Func<Task<bool>> condition) =>
            Waits.UntilAsync(condition, "The cluster did not reach the expected state.", Wait);

        public async ValueTask DisposeAsync()
        {
            foreach (var client in _clients)
            {
                await client.DisposeAsync().AsTask().WaitAsync(Wait);
            }

            foreach (var node in _nodes)
            {
                await node.DisposeAsync().AsTask().WaitAsync(Wait);
            }

            if (_stop is not null)
            {
                await _stop().AsTask().WaitAsync(Wait);
            }
        }

        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<RealtimeServer, Collector<object?[]>> Events = [];

        private static Collector<object?[]> ServerSideEventsOf(RealtimeServer io) => Events.GetValue(io, _ => new Collector<object?[]>());
    }

    /// <summary>A client of the spec: its socket on <c>/</c>, what it received and why it disconnected.</summary>
    public sealed class SpecClient
    {
        private readonly Dictionary<string, Collector<JsonElement>> _events = new(StringComparer.Ordinal);

        internal SpecClient(NamespaceSocket socket)
        {
            Socket = socket;
            foreach (var name in new[] { "sale", "marker", "local", "to-managers" })
            {
                var collector = new Collector<JsonElement>();
                _events[name] = collector;
                socket.On<JsonElement>(name, value => collector.Add(value));
            }

            socket.On<int, int>("question", n => ValueTask.FromResult(n + 1));
            socket.Disconnected += (_, reason) => Disconnected.Add(reason);
        }

        /// <summary>The socket on <c>/</c>.</summary>
        public NamespaceSocket Socket { get; }

        /// <summary>The socket id on the server.</summary>
        public string Sid => Socket.Id!;

        /// <summary>Each disconnect's reason.</summary>
        public Collector<ClientDisconnectReason> Disconnected { get; } = new();

        /// <summary>The next <paramref name="name"/> event's first argument.</summary>
        public Task<JsonElement> Next(string name) => _events[name].NextAsync(Wait);

        /// <summary>Every <paramref name="name"/> event received so far.</summary>
        public IReadOnlyList<JsonElement> Received(string name) => _events[name].All;
    }
}
