namespace Bms.Realtime.Client.Tests.Servers;

/// <summary>
/// The official Node socket.io 4.8 server, <c>interop/node-server.mjs</c> (its event contract in interop/README.md),
/// as a <see cref="ITestServer"/> over the kit's <see cref="NodeServerProcess"/>.
/// </summary>
public sealed class NodeTestServer : ITestServer
{
    private readonly NodeServerProcess _server;

    private NodeTestServer(NodeServerProcess server)
    {
        _server = server;
    }

    public Uri Url => _server.Url;

    public bool CanFreeze => true;

    /// <summary>What the server wrote to stderr.</summary>
    public string Log => _server.Log;

    public static async Task<NodeTestServer> StartAsync(TestServerOptions? options = null)
    {
        options ??= new TestServerOptions();
        var environment = new Dictionary<string, string>();
        if (options.PingInterval is { } interval)
        {
            environment["PING_INTERVAL"] = NodePeer.Milliseconds(interval);
        }

        if (options.PingTimeout is { } timeout)
        {
            environment["PING_TIMEOUT"] = NodePeer.Milliseconds(timeout);
        }

        return new NodeTestServer(await NodeServerProcess.StartAsync(0, environment).WaitAsync(Waits.Long));
    }

    public Task StartAsync() => _server.StartAgainAsync();

    public Task StopAsync() => _server.StopAsync();

    public Task FreezeAsync() => _server.FreezeAsync();

    public Task ThawAsync() => _server.ThawAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
