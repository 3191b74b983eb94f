using Bms.Realtime.Server.Namespaces;

namespace Bms.Realtime.Server.Tests.Integration;

/// <summary>The cancellation tokens of the public emit, ack, join and disconnect methods, against a real server and client.</summary>
public sealed class CancellationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task CancellingABroadcastWithAckEndsTheWaitLongBeforeItsTimeout()
    {
        await using var server = await RealtimeTestHost.StartAsync();
        await using var silent = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await silent.JoinAsync();
        using var cts = new CancellationTokenSource();

        var pending = server.Io.Of("/").Timeout(TimeSpan.FromMinutes(10)).EmitWithAckAsync("question", [1], cts.Token);
        await silent.ReceiveUntilAsync("42").WaitAsync(Timeout);
        Assert.False(pending.IsCompleted);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending).WaitAsync(Timeout);
    }

    [Fact]
    public async Task CancellingAnAckWaitOnOneSocketEndsItAndALateAnswerIsIgnored()
    {
        var connected = new TaskCompletionSource<RealtimeSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await RealtimeTestHost.StartAsync(setup: io => io.Of("/").OnConnection(s => connected.TrySetResult(s)));
        await using var client = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await client.JoinAsync();
        var socket = await connected.Task.WaitAsync(Timeout);
        using var cts = new CancellationTokenSource();

        var pending = socket.EmitWithAckAsync("ask", TimeSpan.FromMinutes(10), ["q"], cts.Token);
        var packet = await client.ReceiveUntilAsync("42").WaitAsync(Timeout);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending).WaitAsync(Timeout);

        // The answer arriving after the cancellation finds no waiter and does not hurt the connection.
        var id = packet[2..packet.IndexOf('[', StringComparison.Ordinal)];
        await client.SendAsync($"43{id}[\"late\"]");
        var next = socket.EmitWithAckAsync("ask", TimeSpan.FromSeconds(10), "again");
        packet = await client.ReceiveUntilAsync("42").WaitAsync(Timeout);
        id = packet[2..packet.IndexOf('[', StringComparison.Ordinal)];
        await client.SendAsync($"43{id}[\"ok\"]");
        Assert.Equal("ok", (await next.WaitAsync(Timeout)).Get<string>(0));
    }

    [Fact]
    public async Task ACancelledTokenStopsEmitJoinAndDisconnectBeforeTheyAct()
    {
        var connected = new TaskCompletionSource<RealtimeSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await RealtimeTestHost.StartAsync(setup: io => io.Of("/").OnConnection(s => connected.TrySetResult(s)));
        await using var client = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await client.JoinAsync();
        var socket = await connected.Task.WaitAsync(Timeout);
        var nsp = server.Io.Of("/");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => nsp.EmitAsync("dropped", [1], cancelled.Token).AsTask()).WaitAsync(Timeout);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => socket.EmitAsync("dropped", [2], cancelled.Token).AsTask()).WaitAsync(Timeout);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => nsp.SocketsJoinAsync(["store:1"], cancelled.Token).AsTask()).WaitAsync(Timeout);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => nsp.DisconnectSocketsAsync(cancellationToken: cancelled.Token).AsTask()).WaitAsync(Timeout);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => socket.DisconnectAsync(cancellationToken: cancelled.Token).AsTask()).WaitAsync(Timeout);

        Assert.True(socket.Connected);
        Assert.DoesNotContain("store:1", socket.Rooms);
        await nsp.EmitAsync("delivered", [3], CancellationToken.None).AsTask().WaitAsync(Timeout);
        Assert.Equal("42[\"delivered\",3]", await client.ReceiveUntilAsync("42").WaitAsync(Timeout));
    }
}
