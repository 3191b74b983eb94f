using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Bms.Realtime.Client.Tests;

public sealed class ExponentialBackoffRetryPolicyTests
{
    [Theory]
    [InlineData(1, 500, 1500)]
    [InlineData(2, 1000, 3000)]
    [InlineData(3, 2000, 5000)]
    [InlineData(4, 2500, 5000)]
    [InlineData(10, 2500, 5000)]
    [InlineData(1000, 2500, 5000)]
    public void DefaultDelaysStayWithinTheRandomizedBoundsAndNeverExceedTheMaximum(int attempt, int minMs, int maxMs)
    {
        for (var seed = 0; seed < 500; seed++)
        {
            var policy = new ExponentialBackoffRetryPolicy(random: new Random(seed));
            var delay = policy.NextRetryDelay(new RetryContext(attempt, TimeSpan.Zero, null));
            Assert.NotNull(delay);
            Assert.InRange(delay.Value.TotalMilliseconds, minMs, maxMs);
        }
    }

    [Fact]
    public void WithoutRandomizationTheDelayDoublesUpToTheMaximum()
    {
        var policy = new ExponentialBackoffRetryPolicy(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(1000), 0);
        var delays = Enumerable.Range(1, 6).Select(a => policy.NextRetryDelay(new RetryContext(a, TimeSpan.Zero, null))!.Value.TotalMilliseconds);
        Assert.Equal([100, 200, 400, 800, 1000, 1000], delays);
    }

    [Fact]
    public void TheAttemptLimitEndsRetrying()
    {
        var policy = new ExponentialBackoffRetryPolicy(maxAttempts: 2);
        Assert.NotNull(policy.NextRetryDelay(new RetryContext(2, TimeSpan.Zero, null)));
        Assert.Null(policy.NextRetryDelay(new RetryContext(3, TimeSpan.Zero, null)));
    }

    [Fact]
    public async Task TheClientWaitsTheScheduledBackoffOnTheTimeProviderBetweenAttempts()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new WebSocketClientOptions
        {
            Url = new Uri($"http://127.0.0.1:{ClosedPort()}"),
            ReconnectionDelay = TimeSpan.FromSeconds(1),
            ReconnectionDelayMax = TimeSpan.FromSeconds(5),
            RandomizationFactor = 0.5,
            ReconnectionAttempts = 6,
        };
        await using var client = new WebSocketClient(options, timeProvider: time);
        var attempts = Channel.CreateUnbounded<ReconnectAttemptEventArgs>();
        var failed = new TaskCompletionSource();
        client.ReconnectAttempt += (_, e) => attempts.Writer.TryWrite(e);
        client.ReconnectFailed += (_, _) => failed.TrySetResult();
        var connect = client.ConnectAsync();

        for (var n = 1; n <= 6; n++)
        {
            var attempt = await attempts.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(n, attempt.Attempt);
            var baseMs = Math.Min(1000 * Math.Pow(2, n - 1), 5000);
            Assert.InRange(attempt.Delay.TotalMilliseconds, baseMs * 0.5, Math.Min(baseMs * 1.5, 5000));
            Assert.Equal(ConnectionState.Reconnecting, client.State);

            // Nothing happens until the fake clock reaches the delay.
            time.Advance(attempt.Delay - TimeSpan.FromMilliseconds(1));
            await Task.Delay(50);
            Assert.False(attempts.Reader.TryPeek(out _));
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        await failed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ConnectionState.Error, client.State);
        Assert.NotNull(client.LastError);
        await Assert.ThrowsAsync<InvalidOperationException>(() => connect).WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
