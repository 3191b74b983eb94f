namespace Bms.Realtime.Server.Tests.Adapters;

/// <summary>The adapter spec against the in-memory adapter: one node, every client on it.</summary>
public sealed class InMemoryAdapterSpecTests : AdapterSpec
{
    protected override int NodeCount => 1;

    protected override async Task<Cluster> StartClusterAsync(RealtimeTestHostOptions options) =>
        new([await RealtimeTestHost.StartAsync(options).WaitAsync(Wait)]);
}
