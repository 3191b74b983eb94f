using Microsoft.Extensions.DependencyInjection;

namespace Bms.Realtime.Server.Tests.Interop;

/// <summary>
/// The official JavaScript socket.io-client 4.8 (<c>interop/client-scenario.mjs</c>) against our server on real
/// Kestrel. Each test runs one scenario; <c>interop/README.md</c> says what each one checks.
/// </summary>
[Collection(InteropCollection.Name)]
public sealed class OfficialClientInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task DefaultOptionsStartWithPollingThenUpgradeToWebSocket()
    {
        var result = await RunAsync("default");

        Assert.Equal("polling", result.Final!.Value.GetProperty("transportBefore").GetString());
        Assert.Equal("websocket", result.Final!.Value.GetProperty("transportAfter").GetString());
        Assert.Equal("""{"token":"abc","n":1}""", result.Step("auth").GetProperty("auth").GetRawText());
    }

    [Fact]
    public async Task WebSocketOnlyClientConnectsAndRoundTrips()
    {
        var result = await RunAsync("websocket-only");

        Assert.Equal("websocket", result.Final!.Value.GetProperty("transport").GetString());
    }

    [Fact]
    public async Task PollingOnlyClientConnectsAndRoundTripsWithoutUpgrading()
    {
        var result = await RunAsync("polling-only");

        Assert.Equal("polling", result.Final!.Value.GetProperty("transport").GetString());
    }

    [Theory]
    [InlineData("polling,websocket")]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task BuffersNestedInObjectsAndArraysRoundTripBothWays(string transports)
    {
        var result = await RunAsync("binary", "--transports", transports);

        var back = result.Step("binary-message-back").GetProperty("args");
        Assert.Equal("010203", back[0].GetProperty("a").GetProperty("$buffer").GetString());
        Assert.Equal("68c3a96c6c6f", back[0].GetProperty("list")[1].GetProperty("b").GetProperty("$buffer").GetString());
    }

    [Fact]
    public async Task AcksWorkBothWaysAndTheClientSideTimeoutFires()
    {
        var result = await RunAsync("acks");

        Assert.Equal("operation has timed out", result.Step("client-timeout").GetProperty("error").GetString());
        Assert.True(result.Step("concurrent-acks").GetProperty("allMatched").GetBoolean());
        Assert.True(result.Step("ask").GetProperty("hasAck").GetBoolean());
    }

    [Fact]
    public async Task SeveralNamespacesShareOneEngineConnection()
    {
        var result = await RunAsync("namespaces");

        var connected = result.StepsNamed("connected").ToArray();
        Assert.Equal(2, connected.Length);
        Assert.Equal(connected[0].GetProperty("engineId").GetString(), connected[1].GetProperty("engineId").GetString());
    }

    [Fact]
    public async Task UnknownNamespaceIsRefusedWithInvalidNamespace()
    {
        var result = await RunAsync("invalid-namespace");

        Assert.Equal("Invalid namespace", result.Final!.Value.GetProperty("message").GetString());
    }

    [Fact]
    public async Task MiddlewareRejectionReachesTheClientAsConnectErrorWithMessageAndData()
    {
        var result = await RunAsync("middleware-reject");

        Assert.Equal("not allowed", result.Final!.Value.GetProperty("message").GetString());
        Assert.Equal(42, result.Final!.Value.GetProperty("data").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task ServerSideDisconnectIsSeenAsIoServerDisconnectAndTheClientStaysDisconnected()
    {
        var result = await RunAsync("server-disconnect");

        Assert.Equal("io server disconnect", result.Final!.Value.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task ClientReconnectsAfterTheServerRestartsOnTheSamePort()
    {
        await using var host = await InteropServerHost.StartAsync().WaitAsync(Timeout);
        await using var run = await NodeScenario.StartAsync("reconnect", host.Url, Timeout).WaitAsync(Timeout);
        await run.WaitForStepAsync("connected", Timeout).WaitAsync(Timeout);

        await host.StopAsync().WaitAsync(Timeout);
        await run.WaitForStepAsync("reconnect_attempt", Timeout).WaitAsync(Timeout);
        await host.RestartAsync().WaitAsync(Timeout);

        var result = await run.WaitForExitAsync(Timeout).WaitAsync(Timeout * 2);
        Assert.True(result.Ok, result.ToString());
        Assert.Equal("after-restart", result.Step("ack").GetProperty("args").GetString());
    }

    [Theory]
    [InlineData("websocket")]
    [InlineData("polling,websocket")]
    public async Task ConnectionStateIsRecoveredAfterADroppedTransportWithMissedEventsInOrder(string transports)
    {
        var result = await RunAsync("recovery", "--transports", transports, "--count", "20");

        var reconnected = result.Step("reconnected");
        Assert.True(reconnected.GetProperty("recovered").GetBoolean(), result.ToString());
        var seqs = result.Step("received").GetProperty("seqs").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal(Enumerable.Range(0, 21), seqs);
    }

    [Fact]
    public async Task TwoHundredClientsInARoomReceiveTenThousandBroadcastsWithNoneLost()
    {
        var timeout = TimeSpan.FromMinutes(4);
        await using var host = await InteropServerHost.StartAsync().WaitAsync(Timeout);

        var result = await NodeScenario.RunAsync("room-broadcast", host.Url, timeout, "--clients", "200", "--broadcasts", "10000")
            .WaitAsync(timeout + TimeSpan.FromMinutes(1));

        Assert.True(result.Ok, result.ToString());
        var final = result.Final!.Value;
        Assert.Equal(2_000_000, final.GetProperty("total").GetInt32());
        Assert.Equal(0, final.GetProperty("outOfOrder").GetInt32());
    }

    [Theory]
    [InlineData("websocket-only")]
    [InlineData("binary", "--transports", "websocket")]
    [InlineData("recovery", "--transports", "websocket", "--count", "20")]
    public async Task WebSocketOnlyScenariosPassOnTheHttpPathToo(string scenario, params string[] arguments)
    {
        // The tests above run WebSocket-only clients on the direct path (the default); these take the HTTP path.
        await using var host = await InteropServerHost.StartAsync(directWebSocket: false).WaitAsync(Timeout);
        var result = await NodeScenario.RunAsync(scenario, host.Url, Timeout, arguments).WaitAsync(Timeout * 2);

        Assert.True(result.Ok, result.ToString());
        Assert.Equal(0, host.Services.GetRequiredService<Hosting.RealtimeMetrics>().DirectWebSocketSessions);
    }

    private static async Task<ScenarioResult> RunAsync(string scenario, params string[] arguments)
    {
        await using var host = await InteropServerHost.StartAsync().WaitAsync(Timeout);
        var result = await NodeScenario.RunAsync(scenario, host.Url, Timeout, arguments).WaitAsync(Timeout * 2);
        Assert.True(result.Ok, result.ToString());
        Assert.NotNull(result.Final);
        return result;
    }
}
