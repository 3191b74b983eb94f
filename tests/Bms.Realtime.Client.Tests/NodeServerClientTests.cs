using System.Diagnostics;
using Bms.Realtime.Client.Tests.Servers;

namespace Bms.Realtime.Client.Tests;

/// <summary>The client against the official Node socket.io 4.8 server (interop/node-server.mjs).</summary>
public sealed class NodeServerClientTests : ClientBehaviourTests
{
    protected override async Task<ITestServer> StartServerAsync(TestServerOptions? options = null) =>
        await NodeTestServer.StartAsync(options);

    [Fact]
    public async Task AServerFrozenWithSigstopIsDetectedWithinPingIntervalPlusPingTimeout()
    {
        var interval = TimeSpan.FromMilliseconds(500);
        var timeout = TimeSpan.FromMilliseconds(500);
        await using var server = await StartServerAsync(new TestServerOptions(interval, timeout)).WaitAsync(Wait);
        await using var client = NewClient(server.Url);
        var main = client.Of("/main");
        await main.ConnectAsync().WaitAsync(Wait);
        Assert.Equal(1, await main.EmitWithAckAsync<int>("echo", Wait, 1).WaitAsync(Wait));

        var frozenAt = Stopwatch.StartNew();
        await server.FreezeAsync().WaitAsync(Wait);
        await client.WaitForStateAsync(ConnectionState.Reconnecting).WaitAsync(Wait);
        var detectedAfter = frozenAt.Elapsed;
        Assert.Equal(ClientDisconnectReason.PingTimeout, client.LastDisconnectReason);
        Assert.True(detectedAfter <= interval + timeout + TimeSpan.FromSeconds(1), $"detected after {detectedAfter}");

        // Thawed, the server is reachable again and the client reconnects by itself.
        await server.ThawAsync().WaitAsync(Wait);
        await client.WaitForStateAsync(ConnectionState.Connected).WaitAsync(Wait);
        await WaitUntilAsync(() => Task.FromResult(main.IsConnected)).WaitAsync(Wait);
        Assert.Equal(2, await main.EmitWithAckAsync<int>("echo", Wait, 2).WaitAsync(Wait));
    }
}
