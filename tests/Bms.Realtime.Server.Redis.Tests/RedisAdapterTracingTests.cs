using System.Collections.Concurrent;
using System.Diagnostics;
using Bms.Realtime.Server.Hosting;

namespace Bms.Realtime.Server.Redis.Tests;

/// <summary>The trace of a broadcast continues on the other node through the message's <c>bmsTrace</c> option.</summary>
public sealed class RedisAdapterTracingTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [RedisFact]
    public async Task ABroadcastIsDeliveredOnTheOtherNodeInsideASpanOfTheSendersTrace()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "test" or RealtimeTracing.ActivitySourceName or RedisAdapterTracing.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var source = new ActivitySource("test");
        await using var redis = await RedisServerProcess.StartAsync().WaitAsync(Wait);
        await using var a = await ClusterNode.StartAsync(redis).WaitAsync(Wait);
        await using var b = await ClusterNode.StartAsync(redis).WaitAsync(Wait);
        Assert.Equal(2, await a.Main.Adapter.ServerCountAsync().AsTask().WaitAsync(Wait));

        ActivityTraceId traceId;
        using (var root = source.StartActivity("request"))
        {
            traceId = root!.TraceId;
            await a.Main.EmitAsync("tick", 1).AsTask().WaitAsync(Wait);
        }

        Activity? Find(string name) => stopped.FirstOrDefault(x => x.TraceId == traceId && x.OperationName == name);
        var deadline = Stopwatch.StartNew();
        while (Find("redis receive") is null && deadline.Elapsed < Wait)
        {
            await Task.Delay(20).WaitAsync(Wait);
        }

        var emit = Find("socket.io emit");
        var publish = Find("redis publish");
        var receive = Find("redis receive");
        Assert.NotNull(emit);
        Assert.NotNull(publish);
        Assert.NotNull(receive);
        Assert.Equal(emit.SpanId, publish.ParentSpanId);
        Assert.Equal(publish.SpanId, receive.ParentSpanId);
        Assert.Equal(ActivityKind.Consumer, receive.Kind);
        Assert.True(receive.HasRemoteParent);
    }
}
