using Bms.Realtime.Client.Tests.Servers;

namespace Bms.Realtime.Client.Tests;

/// <summary>The cancellation tokens of the client's emit, ack and subscribe waits, against our server on Kestrel.</summary>
public sealed class CancellationTests
{
    private static readonly TimeSpan Wait = ClientBehaviourTests.Wait;

    [Fact]
    public async Task CancellingAnAckWaitTheServerNeverAnswersEndsItAndTheSocketStaysUsable()
    {
        await using var server = await RealtimeTestServer.StartAsync().WaitAsync(Wait);
        await using var client = ClientBehaviourTests.NewClient(server.Url);
        var main = client.Of("/main");
        await main.ConnectAsync().WaitAsync(Wait);
        using var cts = new CancellationTokenSource();

        // "unanswered" has no handler on the server: only the token can end these waits.
        var plain = main.EmitWithAckAsync("unanswered", TimeSpan.FromMinutes(10), [1], cts.Token);
        var typed = main.EmitWithAckAsync<int>("unanswered", TimeSpan.FromMinutes(10), [2], cts.Token);
        var subscribe = main.SubscribeAsync("inventory:updated", new { storeId = 1 }, TimeSpan.FromMinutes(10), cts.Token);
        Assert.False(plain.IsCompleted || typed.IsCompleted || subscribe.IsCompleted);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => plain).WaitAsync(Wait);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => typed).WaitAsync(Wait);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => subscribe).WaitAsync(Wait);
        Assert.Equal(0, main.PendingAckCount);
        Assert.Equal(0, main.FilterSubscriptionCount);
        Assert.True(main.IsConnected);
        Assert.Equal(7, await main.EmitWithAckAsync<int>("echo", Wait, 7).WaitAsync(Wait));
    }

    [Fact]
    public async Task ACancelledTokenStopsEmitsBeforeTheyAreQueued()
    {
        await using var server = await RealtimeTestServer.StartAsync().WaitAsync(Wait);
        await using var client = ClientBehaviourTests.NewClient(server.Url);
        var main = client.Of("/main");
        await main.ConnectAsync().WaitAsync(Wait);
        var echoes = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        main.On<int>("echo", v => echoes.TrySetResult(v));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => main.EmitAsync("echo", [1], cancelled.Token).AsTask()).WaitAsync(Wait);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => main.EmitVolatileAsync("echo", [2], cancelled.Token).AsTask()).WaitAsync(Wait);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => main.JoinRoomAsync("store:1", cancellationToken: cancelled.Token)).WaitAsync(Wait);

        // Only the emit sent with a live token comes back.
        await main.EmitAsync("echo", [3], CancellationToken.None).AsTask().WaitAsync(Wait);
        Assert.Equal(3, await echoes.Task.WaitAsync(Wait));
    }
}
