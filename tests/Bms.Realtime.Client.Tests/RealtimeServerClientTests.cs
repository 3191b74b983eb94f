using Bms.Realtime.Client.Tests.Servers;

namespace Bms.Realtime.Client.Tests;

/// <summary>The client against our Bms.Realtime.Server hosted in-process on Kestrel.</summary>
public sealed class RealtimeServerClientTests : ClientBehaviourTests
{
    protected override async Task<ITestServer> StartServerAsync(TestServerOptions? options = null) =>
        await RealtimeTestServer.StartAsync(options);
}
