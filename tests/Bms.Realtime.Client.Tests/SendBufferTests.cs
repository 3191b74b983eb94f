namespace Bms.Realtime.Client.Tests;

/// <summary>The bounded send buffer of a socket that is not connected (no server needed: nothing is sent).</summary>
public sealed class SendBufferTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AFullBufferDropsTheOldestEmitsCountsThemAndFailsTheirAcks()
    {
        await using var client = WebSocketClientFactory.Create(new WebSocketClientOptions { Url = new Uri("http://127.0.0.1:9"), SendBufferCapacity = 3 });
        var main = client.Of("/main");
        var oldest = main.EmitWithAckAsync("first", TimeSpan.FromMinutes(1), 0);
        for (var i = 1; i <= 4; i++)
        {
            await main.EmitAsync("e", i).AsTask().WaitAsync(Wait);
        }

        await Assert.ThrowsAsync<EmitDroppedException>(() => oldest).WaitAsync(Wait);
        Assert.Equal(3, main.BufferedEmitCount);
        Assert.Equal(2, main.DroppedEmitCount);
        Assert.Equal(0, main.PendingAckCount);
        var stats = client.GetStatistics();
        Assert.Equal(3, stats.BufferedEmits);
        Assert.Equal(2, stats.DroppedEmits);
        Assert.Equal(ConnectionHealth.Unhealthy, stats.Health);
    }

    [Fact]
    public async Task VolatileEmitsAreDroppedInsteadOfBuffered()
    {
        await using var client = WebSocketClientFactory.Create(new WebSocketClientOptions { Url = new Uri("http://127.0.0.1:9") });
        var main = client.Of("/main");
        await main.EmitVolatileAsync("position", 1, 2).AsTask().WaitAsync(Wait);
        Assert.Equal(0, main.BufferedEmitCount);
        Assert.Equal(1, main.DroppedEmitCount);
    }

    [Fact]
    public async Task ACancelledAckWaitThrowsAndForgetsTheAck()
    {
        await using var client = WebSocketClientFactory.Create(new WebSocketClientOptions { Url = new Uri("http://127.0.0.1:9") });
        var main = client.Of("/main");
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => main.EmitWithAckAsync("q", TimeSpan.FromMinutes(1), [1], cts.Token)).WaitAsync(Wait);
        Assert.Equal(0, main.PendingAckCount);
    }

    [Fact]
    public async Task ACancellationTokenPassedAsAnArgumentIsRefused()
    {
        await using var client = WebSocketClientFactory.Create(new WebSocketClientOptions { Url = new Uri("http://127.0.0.1:9") });
        var main = client.Of("/main");
        Assert.Throws<ArgumentException>(() => main.EmitAsync("e", 1, CancellationToken.None));
        await Task.CompletedTask.WaitAsync(Wait);
    }
}
