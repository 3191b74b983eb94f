using Bms.Realtime.Client.Tests.Servers;

namespace Bms.Realtime.Client.Tests;

/// <summary>Recovery against the official Node socket.io 4.8 server.</summary>
public sealed class NodeServerConnectionStateRecoveryTests : ConnectionStateRecoveryTests
{
    protected override async Task<ITestServer> StartServerAsync() => await NodeTestServer.StartAsync();
}
