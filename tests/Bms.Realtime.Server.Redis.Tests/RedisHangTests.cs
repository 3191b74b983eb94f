using System.Diagnostics;
using static Bms.Realtime.Server.Redis.Tests.RedisAdapterClusterTests;

namespace Bms.Realtime.Server.Redis.Tests;

/// <summary>
/// Redis hung under two running nodes: the process is stopped with SIGSTOP (its connections stay open, nothing is
/// answered) and continued with SIGCONT.
/// </summary>
public sealed class RedisHangTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(1);

    /// <summary>The product's default heartbeat (ClusterNode relaxes it for the other tests).</summary>
    private static readonly Action<RedisAdapterOptions> Heartbeat = o => o.HeartbeatTimeout = new RedisAdapterOptions().HeartbeatTimeout;

    [RedisFact]
    public async Task WhileRedisHangsBroadcastsNeitherWaitNorStopLocallyAndCrossNodeDeliveryResumesWithoutDuplicates()
    {
        await using var redis = await RedisServerProcess.StartAsync().WaitAsync(Wait);
        await using var a = await ClusterNode.StartAsync(redis, Heartbeat).WaitAsync(Wait);
        await using var b = await ClusterNode.StartAsync(redis, Heartbeat).WaitAsync(Wait);
        await using var onA = await ConnectAsync(a, "store:1");
        await using var onB = await ConnectAsync(b, "store:1");
        await a.Main.To("store:1").EmitAsync("sale", new Sale(1, [])).AsTask().WaitAsync(Wait);
        Assert.Equal(1, (await onB.Sales.NextAsync(Wait))!.Id);
        Assert.Equal(1, (await onA.Sales.NextAsync(Wait))!.Id);

        var hung = Stopwatch.StartNew();
        await redis.PauseAsync().WaitAsync(Wait);
        var detected = WhenAsync(() => !a.Connection.IsConnected, hung);
        var slowest = TimeSpan.Zero;
        try
        {
            // Sales throughout the hang, from its first moment (before it is noticed) to its end.
            for (var id = 2; hung.Elapsed < Hang; id++)
            {
                var watch = Stopwatch.StartNew();
                await a.Main.To("store:1").EmitAsync("sale", new Sale(id, [])).AsTask().WaitAsync(Wait);
                Assert.True(watch.Elapsed < Quick, $"broadcast {id} waited {watch.Elapsed} for a hung Redis");
                Assert.Equal(id, (await onA.Sales.NextAsync(Wait))!.Id);
                slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
                await Task.Delay(150).WaitAsync(Wait);
            }

            Assert.True(slowest < Quick, $"local delivery took up to {slowest}");
            var detectedAfter = await detected.WaitAsync(Wait);
            Assert.True(detectedAfter < TimeSpan.FromSeconds(2), $"the hang was noticed after {detectedAfter}");
            Assert.True(a.Connection.IsUnresponsive);
            Assert.NotNull(a.Connection.LastError);
            Assert.True(a.AdapterMetrics.DroppedCount("unavailable") > 0);
        }
        finally
        {
            await redis.ResumeAsync().WaitAsync(Wait);
        }

        await Eventually(() => a.Connection.IsConnected && b.Connection.IsConnected);

        // Cross-node delivery resumes. Messages written to Redis before the hang was noticed may arrive now, late.
        var resumed = false;
        for (var id = 1000; !resumed; id++)
        {
            await a.Main.To("store:1").EmitAsync("sale", new Sale(id, [])).AsTask().WaitAsync(Wait);
            Assert.Equal(id, (await onA.Sales.NextAsync(Wait))!.Id);
            await Task.Delay(200).WaitAsync(Wait);
            resumed = onB.Sales.All.Any(s => s!.Id >= 1000);
            Assert.True(id < 1050, "cross-node delivery did not resume");
        }

        for (var id = 2000; id < 2020; id++)
        {
            await a.Main.To("store:1").EmitAsync("sale", new Sale(id, [])).AsTask().WaitAsync(Wait);
            await b.Main.To("store:1").EmitAsync("sale", new Sale(id + 1000, [])).AsTask().WaitAsync(Wait);
        }

        await Eventually(() => onB.Sales.All.Count(s => s!.Id is >= 2000 and < 3020) == 40 && onA.Sales.All.Count(s => s!.Id is >= 2000 and < 3020) == 40);

        // Exactly once: nothing (from during or after the hang) arrives twice on either node.
        foreach (var client in new[] { onA, onB })
        {
            var ids = client.Sales.All.Select(s => s!.Id).ToList();
            Assert.Equal(ids.Count, ids.Distinct().Count());
        }
    }

    [RedisFact]
    public async Task ClusterRequestsFailFastWhileRedisHangsAndWorkAgainAfterIt()
    {
        await using var redis = await RedisServerProcess.StartAsync().WaitAsync(Wait);
        await using var a = await ClusterNode.StartAsync(redis, Heartbeat).WaitAsync(Wait);
        await using var b = await ClusterNode.StartAsync(redis, Heartbeat).WaitAsync(Wait);
        await using var onA = await ConnectAsync(a, "store:1");
        await using var onB = await ConnectAsync(b, "store:1");
        Assert.Equal(2, (await a.Main.FetchSocketsAsync().AsTask().WaitAsync(Wait)).Count);

        // A server-side emit waiting for B (which holds its answer) when Redis hangs.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        b.HoldAnswers = release.Task;
        var waiting = a.Main.ServerSideEmitWithAckAsync("whoami", [1], TimeSpan.FromSeconds(30)).AsTask();
        await b.HeldAnswersSent.StaysEmptyAsync(TimeSpan.FromMilliseconds(300)).WaitAsync(Wait);

        var hung = Stopwatch.StartNew();
        await redis.PauseAsync().WaitAsync(Wait);
        try
        {
            // Asked before the hang is noticed: bounded by its own timeout (3 s here), not by Redis.
            var early = a.Main.FetchSocketsAsync().AsTask();
            var lost = await Assert.ThrowsAsync<RedisUnavailableException>(() => waiting).WaitAsync(Wait);
            Assert.True(hung.Elapsed < TimeSpan.FromSeconds(3), $"the waiting server-side emit failed after {hung.Elapsed}");
            Assert.Equal("ServerSideEmitWithAck", lost.Operation);
            await Assert.ThrowsAsync<RedisUnavailableException>(() => early).WaitAsync(Wait);
            Assert.True(hung.Elapsed < TimeSpan.FromSeconds(4), $"an early FetchSockets took {hung.Elapsed}");

            // Known to be hung: fail at once, with a clear error.
            await Eventually(() => !a.Connection.IsConnected);
            var watch = Stopwatch.StartNew();
            var fetch = await Assert.ThrowsAsync<RedisUnavailableException>(() => a.Main.FetchSocketsAsync().AsTask()).WaitAsync(Wait);
            await Assert.ThrowsAsync<RedisUnavailableException>(() => a.Main.ServerSideEmitWithAckAsync("whoami", [2], TimeSpan.FromSeconds(30)).AsTask()).WaitAsync(Wait);
            await Assert.ThrowsAsync<RedisUnavailableException>(() => a.MainAdapter.AllRoomsAsync()).WaitAsync(Wait);
            Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(500), $"requests to a known-hung Redis took {watch.Elapsed}");
            Assert.Contains("not answering", fetch.Message, StringComparison.Ordinal);
            Assert.Single(await a.Main.Local.FetchSocketsAsync().AsTask().WaitAsync(Wait));
        }
        finally
        {
            await redis.ResumeAsync().WaitAsync(Wait);
        }

        release.SetResult();
        b.HoldAnswers = null;
        await Eventually(() => a.Connection.IsConnected && b.Connection.IsConnected);
        await EventuallyAsync(async () => (await a.Main.FetchSocketsAsync()).Count == 2);
        var answers = await a.Main.ServerSideEmitWithAckAsync("whoami", [3], TimeSpan.FromSeconds(10)).AsTask().WaitAsync(Wait);
        Assert.Equal(b.Io.NodeId, Assert.Single(answers).GetProperty("nodeId").GetString());
        Assert.Equal(0, a.MainAdapter.PendingServerSideEmits);
    }

    [RedisFact]
    public async Task AFullOutgoingQueueDropsTheOldestMessagesCountsThemAndNeverBlocksTheCaller()
    {
        await using var redis = await RedisServerProcess.StartAsync().WaitAsync(Wait);
        await using var a = await ClusterNode.StartAsync(redis, o => { Heartbeat(o); o.OutgoingQueueCapacity = 4; }).WaitAsync(Wait);
        await using var b = await ClusterNode.StartAsync(redis, Heartbeat).WaitAsync(Wait);
        await using var onA = await ConnectAsync(a, "store:1");
        await using var onB = await ConnectAsync(b, "store:1");

        await redis.PauseAsync().WaitAsync(Wait);
        try
        {
            // Faster than the hang can be noticed: the queue fills and overflows.
            var watch = Stopwatch.StartNew();
            for (var id = 1; id <= 100; id++)
            {
                await a.Main.To("store:1").EmitAsync("sale", new Sale(id, [])).AsTask().WaitAsync(Wait);
            }

            Assert.True(watch.Elapsed < Quick, $"100 broadcasts took {watch.Elapsed}");
            Assert.Equal(Enumerable.Range(1, 100), (await onA.Sales.TakeAsync(100, Wait)).Select(s => s!.Id));
            Assert.True(a.AdapterMetrics.DroppedCount("queue_full") >= 50, $"dropped: {a.AdapterMetrics.DroppedCount("queue_full")}");
        }
        finally
        {
            await redis.ResumeAsync().WaitAsync(Wait);
        }

        // The newest queued messages survive; the oldest were dropped. None arrives twice.
        await Eventually(() => a.Connection.IsConnected);
        await Task.Delay(500).WaitAsync(Wait);
        var ids = onB.Sales.All.Select(s => s!.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.DoesNotContain(50, ids);
    }

    /// <summary>Completes with the time on <paramref name="clock"/> when <paramref name="condition"/> first holds.</summary>
    private static async Task<TimeSpan> WhenAsync(Func<bool> condition, Stopwatch clock)
    {
        while (!condition())
        {
            Assert.True(clock.Elapsed < Wait, "condition not met in time");
            await Task.Delay(10).WaitAsync(Wait);
        }

        return clock.Elapsed;
    }
}
