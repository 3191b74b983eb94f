using System.Diagnostics;
using System.Diagnostics.Metrics;
using static Bms.Realtime.Server.Redis.Tests.RedisAdapterClusterTests;

namespace Bms.Realtime.Server.Redis.Tests;

/// <summary>Redis stopped and restarted under two running nodes.</summary>
public sealed class RedisOutageTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [RedisFact]
    public async Task WhileRedisIsDownLocalDeliveryGoesOnAndCrossNodeDeliveryResumesWhenItReturns()
    {
        long errors = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "bms.realtime.adapter.errors")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref errors, value));
        listener.Start();

        // The error counter is observable (cumulative totals per node and operation): sum one observation round.
        long Errors()
        {
            Interlocked.Exchange(ref errors, 0);
            listener.RecordObservableInstruments();
            return Interlocked.Read(ref errors);
        }

        await using var redis = await RedisServerProcess.StartAsync().WaitAsync(Wait);
        await using var a = await ClusterNode.StartAsync(redis).WaitAsync(Wait);
        await using var b = await ClusterNode.StartAsync(redis).WaitAsync(Wait);
        await using var onA = await ConnectAsync(a, "store:1");
        await using var onB = await ConnectAsync(b, "store:1");
        await a.Main.To("store:1").EmitAsync("sale", new Sale(1, [])).AsTask().WaitAsync(Wait);
        Assert.Equal(1, (await onB.Sales.NextAsync(Wait))!.Id);
        Assert.Equal(1, (await onA.Sales.NextAsync(Wait))!.Id);

        await redis.StopAsync().WaitAsync(Wait);
        await Eventually(() => !a.Connection.IsConnected && !b.Connection.IsConnected);

        // Local delivery neither stops nor waits for Redis.
        for (var i = 2; i <= 6; i++)
        {
            var watch = Stopwatch.StartNew();
            await a.Main.To("store:1").EmitAsync("sale", new Sale(i, [])).AsTask().WaitAsync(Wait);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"a broadcast waited {watch.Elapsed} for Redis");
            Assert.Equal(i, (await onA.Sales.NextAsync(Wait))!.Id);
        }

        Assert.Equal(1, await a.Main.Adapter.ServerCountAsync().AsTask().WaitAsync(Wait));

        // Requests that need the other nodes fail at once with a clear error; the local view stays available.
        var fetch = Stopwatch.StartNew();
        var unavailable = await Assert.ThrowsAsync<RedisUnavailableException>(() => a.Main.FetchSocketsAsync().AsTask()).WaitAsync(Wait);
        Assert.True(fetch.Elapsed < TimeSpan.FromSeconds(1), $"FetchSockets waited {fetch.Elapsed} for a dead Redis");
        Assert.Contains("Redis is unreachable", unavailable.Message, StringComparison.Ordinal);
        Assert.Single(await a.Main.Local.FetchSocketsAsync().AsTask().WaitAsync(Wait));
        var counted = Errors();
        Assert.True(counted >= 5, $"errors counted: {counted}");
        Assert.NotNull(a.Connection.LastError);
        Assert.True(await onB.Sales.StaysEmptyAsync(TimeSpan.FromMilliseconds(300)).WaitAsync(Wait));

        // Local clients of the other node are served too.
        await b.Main.To("store:1").EmitAsync("sale", new Sale(100, [])).AsTask().WaitAsync(Wait);
        Assert.Equal(100, (await onB.Sales.NextAsync(Wait))!.Id);

        await redis.RestartAsync().WaitAsync(Wait);
        await Eventually(() => a.Connection.IsConnected && b.Connection.IsConnected);

        // Cross-node delivery resumes by itself (subscriptions come back with the connection).
        var resumed = false;
        for (var i = 1000; !resumed; i++)
        {
            await a.Main.To("store:1").EmitAsync("sale", new Sale(i, [])).AsTask().WaitAsync(Wait);
            Assert.Equal(i, (await onA.Sales.NextAsync(Wait))!.Id);
            resumed = !await onB.Sales.StaysEmptyAsync(TimeSpan.FromMilliseconds(200)).WaitAsync(Wait);
            Assert.True(i < 1100, "cross-node delivery did not resume");
        }

        await b.Main.To("store:1").EmitAsync("sale", new Sale(5000, [])).AsTask().WaitAsync(Wait);
        Assert.Equal(5000, (await onA.Sales.NextAsync(Wait))!.Id);
        Assert.Equal(2, await a.Main.Adapter.ServerCountAsync().AsTask().WaitAsync(Wait));
        Assert.Equal(2, (await a.Main.FetchSocketsAsync().AsTask().WaitAsync(Wait)).Count);
    }

    [RedisFact]
    public async Task ANodeStartedWhileRedisIsDownServesLocallyAndJoinsTheClusterWhenRedisComesUp()
    {
        await using var redis = await RedisServerProcess.StartAsync().WaitAsync(Wait);
        await using var a = await ClusterNode.StartAsync(redis).WaitAsync(Wait);
        await redis.StopAsync().WaitAsync(Wait);
        await Eventually(() => !a.Connection.IsConnected);

        await using var late = await ClusterNode.StartUnsubscribedAsync(redis).WaitAsync(Wait);
        await using var onLate = await ConnectAsync(late, "store:1");
        await late.Main.To("store:1").EmitAsync("sale", new Sale(1, [])).AsTask().WaitAsync(Wait);
        Assert.Equal(1, (await onLate.Sales.NextAsync(Wait))!.Id);

        await redis.RestartAsync().WaitAsync(Wait);
        await late.WaitSubscribedAsync().WaitAsync(Wait);
        await Eventually(() => a.Connection.IsConnected);
        await a.Main.To("store:1").EmitAsync("sale", new Sale(2, [])).AsTask().WaitAsync(Wait);
        Assert.Equal(2, (await onLate.Sales.NextAsync(Wait))!.Id);
    }
}
