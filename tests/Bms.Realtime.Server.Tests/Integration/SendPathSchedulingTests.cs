namespace Bms.Realtime.Server.Tests.Integration;

/// <summary>
/// Who writes a frame on the direct path: the emitting thread when the session is idle and nothing waits for the
/// thread pool; the session's queued writer, started from the thread pool's queue, when work waits for the pool (a
/// busy server), so it writes what accumulated by then in one send. These tests read the thread pool's backlog of the
/// whole test process, so they run alone, after the parallel tests.
/// </summary>
[Collection(SendPathSchedulingCollection.Name)]
public sealed class SendPathSchedulingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(5);

    [Fact]
    public async Task AnEmitToAnIdleDirectSessionIsOnTheWireWhenTheEmitReturns()
    {
        await using var server = await RealtimeTestHost.StartAsync();
        await using var client = await PausedWebSocketClient.ConnectAndJoinAsync(server.Port);
        var socket = Assert.Single(server.Io.Of("/").Sockets.Values);

        // Once the server's send queue is empty, the queues hold exactly what was written and not read; if the
        // emitting thread wrote the frame, that sum has grown when EmitAsync returns (no other thread has run yet
        // for it, whatever the scheduler does). Work another part of the process posts to the thread pool at the
        // moment of an emit makes that emit go to the writer, so two of twenty may miss.
        var inline = 0;
        for (var i = 0; i < 20; i++)
        {
            await Waits.UntilAsync(() => client.Queues().ServerSendQueue == 0 && ThreadPool.PendingWorkItemCount == 0, "the server's send queue and the thread pool's backlog never emptied", Timeout, Poll);
            var before = client.Queues().ClientReceiveQueue;
            await socket.EmitAsync("tick", i).AsTask().WaitAsync(Timeout);
            var (sendQueue, receiveQueue) = client.Queues();
            if (sendQueue + receiveQueue > before)
            {
                inline++;
            }
        }

        Assert.True(inline >= 18, $"only {inline} of 20 emits to an idle session were written by the emitting thread");
    }

    [Fact]
    public async Task AnEmitWhileWorkWaitsForTheThreadPoolIsQueuedAndTheWriterSendsItWhenThePoolGetsToIt()
    {
        await using var server = await RealtimeTestHost.StartAsync();
        await using var client = await PausedWebSocketClient.ConnectAndJoinAsync(server.Port);
        var socket = Assert.Single(server.Io.Of("/").Sockets.Values);
        Assert.True(server.Io.Engine.TryGetSession(socket.EngineId, out var session));
        await Waits.UntilAsync(() => client.Queues().ServerSendQueue == 0, "the server's send queue never emptied", Timeout, Poll);
        var before = client.Queues().ClientReceiveQueue;

        // Work that waits for the pool: more blocked items than the pool has threads, so some stay queued.
        var blocked = Blocked.FillThreadPool();

        long queuedAfterEmit;
        long onTheWireAfterEmit;
        try
        {
            Assert.True(ThreadPool.PendingWorkItemCount > 0, "the blocked items are not waiting for the pool");

            // Without an ack, EmitAsync completes on this thread: it needs nothing from the blocked pool.
            var emit = socket.EmitAsync("tick", 1);
            Assert.True(emit.IsCompleted, "the emit waited for something");
            queuedAfterEmit = session!.QueuedFrames;
            var (sendQueue, receiveQueue) = client.Queues();
            onTheWireAfterEmit = sendQueue + receiveQueue - before;
        }
        finally
        {
            blocked.Release();
        }

        Assert.Equal(1, queuedAfterEmit);
        Assert.Equal(0, onTheWireAfterEmit);

        // Once the pool gets to the writer, the frame is on the wire.
        await Waits.UntilAsync(() => session!.QueuedFrames == 0 && client.Queues() is var (tx, rx) && tx + rx > before, "the queued writer never sent the frame", Timeout, Poll);
        await Waits.UntilAsync(() => blocked.AllPassed, "the blocked work items never ran", Timeout, Poll);
    }

    [Fact]
    public async Task ABurstWhileWorkWaitsForTheThreadPoolIsWrittenByTheEmitterOnceItFillsASendAndNeverReachesTheSlowClientLimit()
    {
        await using var server = await RealtimeTestHost.StartAsync(o => o.MaxQueuedFrames = 64);
        await using var client = await PausedWebSocketClient.ConnectAndJoinAsync(server.Port);
        var socket = Assert.Single(server.Io.Of("/").Sockets.Values);
        Assert.True(server.Io.Engine.TryGetSession(socket.EngineId, out var session));
        await Waits.UntilAsync(() => client.Queues().ServerSendQueue == 0, "the server's send queue never emptied", Timeout, Poll);
        var before = client.Queues().ClientReceiveQueue;

        var blocked = Blocked.FillThreadPool();

        var mostQueued = 0;
        long onTheWire;
        bool open;
        try
        {
            Assert.True(ThreadPool.PendingWorkItemCount > 0, "the blocked items are not waiting for the pool");
            for (var i = 0; i < 200; i++)
            {
                Assert.True(socket.EmitAsync("tick", i).IsCompleted, "the emit waited for something");
                mostQueued = Math.Max(mostQueued, session!.QueuedFrames);
            }

            open = server.Io.Engine.TryGetSession(socket.EngineId, out _);
            var (sendQueue, receiveQueue) = client.Queues();
            onTheWire = sendQueue + receiveQueue - before;
        }
        finally
        {
            blocked.Release();
        }

        // Twice the limit went out, in sends of 32 frames, with no thread-pool thread free to run a writer.
        Assert.True(open, "the burst closed the session as too slow");
        Assert.InRange(mostQueued, 1, 32);
        Assert.True(onTheWire > 0, "nothing was written while the pool was busy");
        await Waits.UntilAsync(() => session!.QueuedFrames == 0, "the queued writer never sent the rest", Timeout, Poll);
        await Waits.UntilAsync(() => blocked.AllPassed, "the blocked work items never ran", Timeout, Poll);
    }

    /// <summary>Work items that block every thread-pool thread until released, with more of them queued behind.</summary>
    private sealed class Blocked
    {
        // Not disposed: blocked items may still be waking up when the test ends (also when an assertion fails).
        private readonly ManualResetEventSlim _gate = new();
        private int _queued;
        private int _passed;

        public bool AllPassed => Volatile.Read(ref _passed) == Volatile.Read(ref _queued);

        /// <summary>
        /// Queues items until, after the idle threads had time to take theirs, some still wait for a thread (whatever
        /// the pool's size), then 32 more.
        /// </summary>
        public static Blocked FillThreadPool()
        {
            var blocked = new Blocked();
            do
            {
                for (var i = 0; i < 8; i++)
                {
                    blocked.QueueOne();
                }

                Thread.Sleep(20);
            }
            while (ThreadPool.PendingWorkItemCount == 0 && blocked._queued < 4096);

            for (var i = 0; i < 32; i++)
            {
                blocked.QueueOne();
            }

            return blocked;
        }

        public void Release() => _gate.Set();

        private void QueueOne()
        {
            Interlocked.Increment(ref _queued);
            ThreadPool.UnsafeQueueUserWorkItem(static b => b.Run(), this, preferLocal: false);
        }

        private void Run()
        {
            _gate.Wait();
            Interlocked.Increment(ref _passed);
        }
    }
}

/// <summary>Tests that read or block the process-wide thread pool: alone, after the parallel tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SendPathSchedulingCollection
{
    public const string Name = "Send path scheduling";
}
