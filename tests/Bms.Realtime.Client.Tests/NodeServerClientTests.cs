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
        await FrozenServerIsDetectedAsync(server, interval, timeout, "/main", "echo");
    }
}
