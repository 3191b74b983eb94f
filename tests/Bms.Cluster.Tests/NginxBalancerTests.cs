using System.Net;
using System.Text.Json;

namespace Bms.Cluster.Tests;

/// <summary>
/// docs/nginx.conf in front of two real nodes on one Redis, driven by the official socket.io-client 4.8:
/// long-polling needs the documented stickiness, WebSocket-only clients need none.
/// </summary>
public sealed class NginxBalancerTests(BalancedCluster cluster) : IClassFixture<BalancedCluster>
{
    private static readonly TimeSpan Wait = Infrastructure.Wait;

    [BalancerFact]
    public async Task PollingOnlyClientsStayOnTheNodeTheDocumentedHashPicksAndReceiveSalesPostedToEitherNode()
    {
        await using var nginx = await NginxProcess.StartAsync(port => NginxProcess.Configure(NginxProcess.DocumentedConfiguration, port, cluster.Nodes, sticky: true));

        // Two client addresses the hash sends to A and two it sends to B (127.0.0.0/8 is all loopback on Linux).
        var home = new Dictionary<string, ServerNode>();
        var probed = new List<string>();
        for (var last = 2; last < 40 && home.Count < 4; last++)
        {
            var address = $"127.0.0.{last}";
            var node = cluster.NodeAt(await nginx.UpstreamForAsync(IPAddress.Parse(address)));
            probed.Add($"{address} -> {node.Name}");
            if (home.Values.Count(n => n == node) < 2)
            {
                home[address] = node;
            }
        }

        Assert.True(home.Count == 4, $"the documented hash should spread client addresses over both nodes: {string.Join(", ", probed)}");
        var addresses = home.Keys.ToList();

        await using var clients = await BalancedClients.StartAsync(nginx.Url, cluster.CashierToken, "polling", addresses).WaitAsync(Waits.Long);
        await clients.WaitForStepAsync("ready", Wait);
        var connected = Connected(clients, addresses, "polling");

        // Each session lives on the node the hash picked for its address, so both nodes serve polling sessions.
        var listed = await ListedSocketsAsync(connected);
        foreach (var client in connected)
        {
            Assert.Equal(home[client.Address].NodeId, listed[client.Id].GetProperty("node").GetString());
            Assert.Equal("polling", listed[client.Id].GetProperty("transport").GetString());
        }

        await SalesPostedToEitherNodeReachEveryClientAsync(clients, connected, "polling");

        // Every request of a client (handshake, posts, each held GET) reached its node, none was refused, and every
        // session went through several polling cycles. Held GETs still open are not logged yet.
        var log = nginx.AccessLog().Where(e => e.IsSocketIo).ToList();
        foreach (var address in addresses)
        {
            var requests = log.Where(e => e.Client == address).ToList();
            Assert.All(requests, e => Assert.Equal(home[address].Url.Authority, e.Upstream));
            Assert.All(requests, e => Assert.Equal(200, e.Status));
            Assert.True(requests.Count(e => e.Method == "GET") >= 4, $"{address}: {string.Join("; ", requests)}");
            Assert.Contains(requests, e => e.Method == "POST");
        }

        StillConnectedOnTheSameSessions(clients, await clients.CloseAsync(), connected, "polling");
    }

    [BalancerFact]
    public async Task PollingOnlyClientsFailThroughTheDocumentedConfigurationWithoutItsStickinessLine()
    {
        await using var nginx = await NginxProcess.StartAsync(port => NginxProcess.Configure(NginxProcess.DocumentedConfiguration, port, cluster.Nodes, sticky: false));
        const string address = "127.0.0.2";

        await using var clients = await BalancedClients.StartAsync(nginx.Url, cluster.CashierToken, "polling", [address], reconnect: false).WaitAsync(Waits.Long);
        var outcome = await clients.WaitForAsync(l => BalancedClients.Step(l) is "connected" or "connect_error" or "disconnect", "an outcome", Wait);
        Assert.True(BalancedClients.Step(outcome) is "connect_error" or "disconnect", $"a polling client should not connect through round-robin:\n{clients}");

        // The handshake created the session on one node; a request carrying its sid reached the other, which refused it.
        var entries = await LoggedAsync(nginx, e => e.Client == address && e.Status == 400);
        var handshake = Assert.Single(entries, e => e.Client == address && !e.Query.Contains("sid=", StringComparison.Ordinal));
        var refused = entries.First(e => e.Client == address && e.Status == 400);
        Assert.Equal(200, handshake.Status);
        Assert.Contains("sid=", refused.Query, StringComparison.Ordinal);
        Assert.NotEqual(handshake.Upstream, refused.Upstream);

        var closing = await clients.CloseAsync();
        Assert.False(closing.GetProperty("clients")[0].GetProperty("connected").GetBoolean());
        Assert.DoesNotContain(clients.Lines, l => BalancedClients.Step(l) == "connected");
    }

    [BalancerFact]
    public async Task WebSocketOnlyClientsNeedNoStickinessAndReceiveSalesPostedToEitherNodeThroughRoundRobin()
    {
        await using var nginx = await NginxProcess.StartAsync(port => NginxProcess.Configure(NginxProcess.DocumentedConfiguration, port, cluster.Nodes, sticky: false));

        // All four from one address: round-robin still spreads them.
        string[] addresses = ["127.0.0.1", "127.0.0.1", "127.0.0.1", "127.0.0.1"];
        await using var clients = await BalancedClients.StartAsync(nginx.Url, cluster.CashierToken, "websocket", addresses).WaitAsync(Waits.Long);
        await clients.WaitForStepAsync("ready", Wait);
        var connected = Connected(clients, addresses, "websocket");

        var listed = await ListedSocketsAsync(connected);
        Assert.All(connected, c => Assert.Equal("websocket", listed[c.Id].GetProperty("transport").GetString()));
        Assert.Equal(
            new[] { cluster.A.NodeId, cluster.B.NodeId }.Order(),
            connected.Select(c => listed[c.Id].GetProperty("node").GetString()!).Distinct().Order());

        await SalesPostedToEitherNodeReachEveryClientAsync(clients, connected, "websocket");
        StillConnectedOnTheSameSessions(clients, await clients.CloseAsync(), connected, "websocket");

        // One upgraded request per client (logged when the connection ends), on both nodes.
        var upgrades = await LoggedAsync(nginx, _ => true, entries => entries.Count(e => e.IsSocketIo) >= addresses.Length);
        var socketIo = upgrades.Where(e => e.IsSocketIo).ToList();
        Assert.Equal(addresses.Length, socketIo.Count);
        Assert.All(socketIo, e => Assert.Equal(101, e.Status));
        Assert.Equal(2, socketIo.Select(e => e.Upstream).Distinct().Count());
    }

    /// <summary>The "connected" line of each client: exactly one per client (no reconnect), on the expected transport.</summary>
    private static List<ConnectedClient> Connected(BalancedClients clients, IReadOnlyList<string> addresses, string transport)
    {
        var lines = clients.Lines.Where(l => BalancedClients.Step(l) == "connected").ToList();
        Assert.True(lines.Count == addresses.Count, $"one connect per client expected:\n{clients}");
        var result = new List<ConnectedClient>();
        foreach (var line in lines.OrderBy(BalancedClients.Client))
        {
            Assert.Equal(transport, line.GetProperty("transport").GetString());
            var client = BalancedClients.Client(line);
            Assert.Equal(addresses[client], line.GetProperty("address").GetString());
            result.Add(new ConnectedClient(client, addresses[client], line.GetProperty("id").GetString()!, line.GetProperty("sid").GetString()!));
        }

        Assert.Equal(addresses.Count, result.Select(c => c.Client).Distinct().Count());
        return result;
    }

    /// <summary>The clients' sockets as <c>GET /api/admin/sockets</c> on node A lists them (every node's sockets).</summary>
    private async Task<Dictionary<string, JsonElement>> ListedSocketsAsync(IReadOnlyList<ConnectedClient> connected)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var sockets = await cluster.A.GetAsync("/api/admin/sockets", cluster.AdminToken);
            var ours = sockets.EnumerateArray()
                .Where(s => connected.Any(c => c.Id == s.GetProperty("id").GetString()))
                .ToDictionary(s => s.GetProperty("id").GetString()!);
            if (ours.Count == connected.Count)
            {
                return ours;
            }

            Assert.True(DateTime.UtcNow < deadline, $"not every client is listed: {sockets}");
            await Task.Delay(100).WaitAsync(Wait);
        }
    }

    /// <summary>A sale posted to A, then one posted to B: every client gets both, on its transport.</summary>
    private async Task SalesPostedToEitherNodeReachEveryClientAsync(BalancedClients clients, IReadOnlyList<ConnectedClient> connected, string transport)
    {
        foreach (var node in new[] { cluster.A, cluster.B })
        {
            var sale = await node.PostAsync("/api/transactions", new { storeId = 1, lines = new[] { new { productId = cluster.ProductId, quantity = 1 } } }, cluster.CashierToken);
            var saleId = sale.GetProperty("id").ToString();
            foreach (var client in connected)
            {
                var received = await clients.WaitForAsync(
                    l => BalancedClients.Step(l) == "event" && BalancedClients.Client(l) == client.Client && l.GetProperty("id").ToString() == saleId,
                    $"sale {saleId} (posted to {node.Name}) on client {client.Client}",
                    Wait);
                Assert.Equal(transport, received.GetProperty("transport").GetString());
            }
        }
    }

    /// <summary>At the end every client is still connected on the engine session it opened, and none dropped before.</summary>
    private static void StillConnectedOnTheSameSessions(BalancedClients clients, JsonElement closing, IReadOnlyList<ConnectedClient> connected, string transport)
    {
        foreach (var client in connected)
        {
            var state = closing.GetProperty("clients")[client.Client];
            Assert.True(state.GetProperty("connected").GetBoolean(), $"client {client.Client} dropped:\n{clients}");
            Assert.Equal(client.Id, state.GetProperty("id").GetString());
            Assert.Equal(client.Sid, state.GetProperty("sid").GetString());
            Assert.Equal(transport, state.GetProperty("transport").GetString());
        }

        var before = clients.Lines.TakeWhile(l => BalancedClients.Step(l) != "closing");
        Assert.DoesNotContain(before, l => BalancedClients.Step(l) is "connect_error" or "disconnect");
    }

    /// <summary>The access log once it has an entry matching <paramref name="entry"/> (or satisfies <paramref name="complete"/>).</summary>
    private static async Task<IReadOnlyList<AccessLogEntry>> LoggedAsync(NginxProcess nginx, Func<AccessLogEntry, bool> entry, Func<IReadOnlyList<AccessLogEntry>, bool>? complete = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var log = nginx.AccessLog();
            if (complete?.Invoke(log) ?? log.Any(entry))
            {
                return log;
            }

            Assert.True(DateTime.UtcNow < deadline, $"nginx did not log the expected request:\n{string.Join('\n', log)}\n{nginx.ErrorLog}");
            await Task.Delay(50).WaitAsync(Wait);
        }
    }

    private sealed record ConnectedClient(int Client, string Address, string Id, string Sid);
}
