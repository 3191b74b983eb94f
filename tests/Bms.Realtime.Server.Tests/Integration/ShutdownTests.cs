using System.Diagnostics;
using Bms.Realtime.Server.Namespaces;

namespace Bms.Realtime.Server.Tests.Integration;

/// <summary>Stopping the host closes open sessions promptly, telling clients why.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task StoppingTheHostClosesOpenWebSocketSessionsPromptly()
    {
        var reasons = new Collector<DisconnectReason>();
        var watched = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = await RealtimeTestHost.StartAsync(setup: io => io.Of("/").OnConnection(s =>
        {
            s.OnDisconnect(r => reasons.Add(r));
            watched.TrySetResult();
        }));
        await using var client = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await client.JoinAsync();

        // The CONNECT reply can reach the client before the connection handler has run on a busy machine: stop the
        // host only once the disconnect handler is registered.
        await watched.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var stopwatch = Stopwatch.StartNew();

        await server.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"stop took {stopwatch.Elapsed}");
        await client.Closed.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(DisconnectReason.ServerShuttingDown, await reasons.NextAsync(TimeSpan.FromSeconds(5)));
    }
}
