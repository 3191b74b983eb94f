namespace Bms.Realtime.Server.Tests.Interop;

/// <summary>
/// Control group: every client scenario passes against the official Node socket.io 4.8 server
/// (<c>interop/node-server.mjs</c>). A scenario that fails against our server but passes here points at our server.
/// </summary>
[Collection(InteropCollection.Name)]
public sealed class ReferenceServerScenarioTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("default")]
    [InlineData("websocket-only")]
    [InlineData("polling-only")]
    [InlineData("binary")]
    [InlineData("acks")]
    [InlineData("namespaces")]
    [InlineData("invalid-namespace")]
    [InlineData("middleware-reject")]
    [InlineData("server-disconnect")]
    [InlineData("recovery")]
    public async Task OfficialClientScenarioPassesAgainstTheOfficialNodeServer(string scenario)
    {
        await using var server = await NodeServerProcess.StartAsync().WaitAsync(Timeout);

        var result = await NodeScenario.RunAsync(scenario, server.Url, Timeout).WaitAsync(Timeout * 2);

        Assert.True(result.Ok, result + "\nserver log:\n" + server.Log);
    }

    [Fact]
    public async Task OfficialClientReconnectsAfterTheOfficialNodeServerRestartsOnTheSamePort()
    {
        await using var server = await NodeServerProcess.StartAsync().WaitAsync(Timeout);
        await using var run = await NodeScenario.StartAsync("reconnect", server.Url, Timeout).WaitAsync(Timeout);
        await run.WaitForStepAsync("connected", Timeout).WaitAsync(Timeout);

        await server.StopAsync().WaitAsync(Timeout);
        await run.WaitForStepAsync("reconnect_attempt", Timeout).WaitAsync(Timeout);
        await server.StartAgainAsync().WaitAsync(Timeout);

        var result = await run.WaitForExitAsync(Timeout).WaitAsync(Timeout * 2);
        Assert.True(result.Ok, result.ToString());
    }
}
