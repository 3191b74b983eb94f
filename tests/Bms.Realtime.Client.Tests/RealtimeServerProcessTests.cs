using Bms.Realtime.Client.Tests.Servers;

namespace Bms.Realtime.Client.Tests;

/// <summary>The client against our server running as its own process (samples/Bms.Realtime.ConformanceHost).</summary>
public sealed class RealtimeServerProcessTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task OurServerFrozenWithSigstopIsDetectedWithinPingIntervalPlusPingTimeout()
    {
        await using var server = await ConformanceHostProcess.LaunchAsync().WaitAsync(Wait);
        await ClientBehaviourTests.FrozenServerIsDetectedAsync(
            server, ConformanceHostProcess.PingInterval, ConformanceHostProcess.PingTimeout, "/", "message-with-ack").WaitAsync(Wait * 2);
    }
}
