namespace Bms.Realtime.Server.Tests.Integration;

/// <summary>
/// When a session ends, its TCP connection is let go at once on both paths, even when the client stopped reading
/// and the socket's kernel send buffer is full: no ESTABLISHED connection and no file descriptor stays behind.
/// </summary>
public sealed class ConnectionAbortTests
{
    private static readonly TimeSpan Gone = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AClientClosedForOverflowLosesItsTcpConnectionAtOnce(bool direct)
    {
        // 1 MiB: headroom for the reading client on a loaded machine; the frame limit (10,000 × 64 KB) is never reached.
        await using var server = await RealtimeTestHost.StartAsync(o =>
        {
            o.DirectWebSocket = direct;
            o.MaxQueuedBytes = 1024 * 1024;
        });
        await using var reader = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await reader.JoinAsync();
        await using var paused = await PausedWebSocketClient.ConnectAndJoinAsync(server.Port);

        var sent = await SlowConsumerTests.BroadcastUntilClosedAsync(server, maxBroadcasts: 1000);

        Assert.True(sent < 1000, "the paused client was never closed");
        Assert.True(await paused.WaitServerSideGoneAsync(Gone), paused.ServerSideState());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AClientClosedForPingTimeoutWithAFullSendBufferLosesItsTcpConnectionAtOnce(bool direct)
    {
        await using var server = await RealtimeTestHost.StartAsync(o =>
        {
            o.DirectWebSocket = direct;
            o.PingInterval = TimeSpan.FromSeconds(2);
            o.PingTimeout = TimeSpan.FromSeconds(1);
            o.MaxQueuedBytes = 1L << 30;
        });
        await using var paused = await PausedWebSocketClient.ConnectAndJoinAsync(server.Port);

        // Fill the pipes and kernel buffers without overflowing the queue: the ping timeout ends the session.
        for (var i = 0; i < 200 && server.Io.Engine.SessionCount > 0; i++)
        {
            await server.Io.Of("/").EmitAsync("big", i, new string('x', 64 * 1024));
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (server.Io.Engine.SessionCount > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(0, server.Io.Engine.SessionCount);
        Assert.True(await paused.WaitServerSideGoneAsync(Gone), paused.ServerSideState());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AServerSideCloseOfAPausedClientEndsWithinThePingTimeoutAndLetsGoOfItsTcpConnection(bool direct)
    {
        await using var server = await RealtimeTestHost.StartAsync(o =>
        {
            o.DirectWebSocket = direct;
            o.MaxQueuedBytes = 1L << 30;
            o.PingTimeout = TimeSpan.FromSeconds(1);
        });
        await using var paused = await PausedWebSocketClient.ConnectAndJoinAsync(server.Port);
        for (var i = 0; i < 200; i++)
        {
            await server.Io.Of("/").EmitAsync("big", i, new string('x', 64 * 1024));
        }

        foreach (var socket in server.Io.Of("/").Sockets.Values)
        {
            await socket.DisconnectAsync(close: true);
        }

        Assert.True(await paused.WaitServerSideGoneAsync(Gone), paused.ServerSideState());
    }
}
