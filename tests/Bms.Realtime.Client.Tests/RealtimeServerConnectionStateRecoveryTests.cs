using Bms.Realtime.Client.Tests.Servers;

namespace Bms.Realtime.Client.Tests;

/// <summary>Recovery against Bms.Realtime.Server on Kestrel.</summary>
public sealed class RealtimeServerConnectionStateRecoveryTests : ConnectionStateRecoveryTests
{
    protected override async Task<ITestServer> StartServerAsync() => await RealtimeTestServer.StartAsync();
}
