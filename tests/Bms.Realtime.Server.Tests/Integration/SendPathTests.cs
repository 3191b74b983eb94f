using System.Buffers.Binary;
using System.Text.Json;

namespace Bms.Realtime.Server.Tests.Integration;

/// <summary>
/// The send path's guarantees: one writer per connection, so frames emitted concurrently by several threads arrive in
/// each emitter's order and a packet's attachments directly follow its header, never another emit's frames; a client
/// that stopped reading never holds up the emitter, and the queue limits still close it. Who writes a frame (the
/// emitting thread or the queued writer) is covered by <see cref="SendPathSchedulingTests"/>.
/// </summary>
public sealed class SendPathTests
{
    private const int Emitters = 4;
    private const int PerEmitter = 300;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ConcurrentEmittersKeepTheirOrderAndBinaryPacketsNeverInterleave(bool direct)
    {
        await using var server = await RealtimeTestHost.StartAsync(o => o.DirectWebSocket = direct);
        await using var client = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await client.JoinAsync();
        var socket = Assert.Single(server.Io.Of("/").Sockets.Values);

        var emitters = Enumerable.Range(0, Emitters).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < PerEmitter; i++)
            {
                var tag = new byte[8];
                BinaryPrimitives.WriteInt32BigEndian(tag, t);
                BinaryPrimitives.WriteInt32BigEndian(tag.AsSpan(4), i);
                await socket.EmitAsync("seq", t, i, tag);
            }
        })).ToArray();

        var next = new int[Emitters];
        for (var n = 0; n < Emitters * PerEmitter; n++)
        {
            var (text, _) = await client.ReceiveFrameAsync(TimeSpan.FromSeconds(15));
            Assert.NotNull(text);
            Assert.StartsWith("451-[\"seq\",", text, StringComparison.Ordinal);
            var args = JsonDocument.Parse(text["451-".Length..]).RootElement;
            var (t, i) = (args[1].GetInt32(), args[2].GetInt32());
            Assert.Equal(next[t]++, i);

            var (_, binary) = await client.ReceiveFrameAsync(TimeSpan.FromSeconds(15));
            Assert.NotNull(binary);
            Assert.Equal(t, BinaryPrimitives.ReadInt32BigEndian(binary));
            Assert.Equal(i, BinaryPrimitives.ReadInt32BigEndian(binary.AsSpan(4)));
        }

        await Task.WhenAll(emitters).WaitAsync(TimeSpan.FromSeconds(15));
        Assert.All(next, count => Assert.Equal(PerEmitter, count));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task LargeConcurrentEmitsThatFillTheKernelBufferArriveWholeAndInOrder(bool direct)
    {
        // 48 KB attachments: the kernel takes part of a frame, the rest is written later while other emits queue.
        await using var server = await RealtimeTestHost.StartAsync(o =>
        {
            o.DirectWebSocket = direct;
            o.MaxQueuedBytes = 64L * 1024 * 1024;
        });
        await using var client = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await client.JoinAsync();
        var socket = Assert.Single(server.Io.Of("/").Sockets.Values);
        const int perEmitter = 40;

        var emitters = Enumerable.Range(0, Emitters).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < perEmitter; i++)
            {
                var blob = new byte[48 * 1024];
                BinaryPrimitives.WriteInt32BigEndian(blob, t);
                BinaryPrimitives.WriteInt32BigEndian(blob.AsSpan(4), i);
                blob[^1] = (byte)(t * 31 + i);
                await socket.EmitAsync("blob", t, i, blob);
            }
        })).ToArray();

        var next = new int[Emitters];
        for (var n = 0; n < Emitters * perEmitter; n++)
        {
            var (text, _) = await client.ReceiveFrameAsync(TimeSpan.FromSeconds(20));
            Assert.NotNull(text);
            var args = JsonDocument.Parse(text["451-".Length..]).RootElement;
            var (t, i) = (args[1].GetInt32(), args[2].GetInt32());
            Assert.Equal(next[t]++, i);
            var (_, binary) = await client.ReceiveFrameAsync(TimeSpan.FromSeconds(20));
            Assert.NotNull(binary);
            Assert.Equal(48 * 1024, binary.Length);
            Assert.Equal(t, BinaryPrimitives.ReadInt32BigEndian(binary));
            Assert.Equal(i, BinaryPrimitives.ReadInt32BigEndian(binary.AsSpan(4)));
            Assert.Equal((byte)(t * 31 + i), binary[^1]);
        }

        await Task.WhenAll(emitters).WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AClientThatStoppedReadingNeverHoldsUpTheEmitter(bool direct)
    {
        // Limits high enough that the paused client stays open: every emit must still return at once.
        await using var server = await RealtimeTestHost.StartAsync(o =>
        {
            o.DirectWebSocket = direct;
            o.MaxQueuedBytes = 256L * 1024 * 1024;
        });
        await using var reader = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await reader.JoinAsync();
        await using var paused = await PausedWebSocketClient.ConnectAndJoinAsync(server.Port);
        var payload = new string('x', 16 * 1024);

        // 400 × 16 KB = 6.4 MB: far more than the paused client's kernel buffers hold.
        for (var i = 0; i < 400; i++)
        {
            await server.Io.Of("/").EmitAsync("big", i, payload).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        }

        for (var i = 0; i < 400; i++)
        {
            var text = await reader.ReceiveUntilAsync("42", TimeSpan.FromSeconds(20));
            Assert.Equal(i, JsonDocument.Parse(text[2..]).RootElement[1].GetInt32());
        }

        Assert.Equal(2, server.Io.Engine.SessionCount);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AClientThatStoppedReadingIsClosedOnceItsQueuedFramesExceedMaxQueuedFrames(bool direct)
    {
        await using var server = await RealtimeTestHost.StartAsync(o =>
        {
            o.DirectWebSocket = direct;
            o.MaxQueuedFrames = 200;
            o.MaxQueuedBytes = 256L * 1024 * 1024;
        });
        await using var reader = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await reader.JoinAsync();
        await using var paused = await PausedWebSocketClient.ConnectAndJoinAsync(server.Port);
        var payload = new string('y', 4 * 1024);
        var readerSid = JsonDocument.Parse(reader.Open[1..]).RootElement.GetProperty("sid").GetString()!;
        Assert.True(server.Io.Engine.TryGetSession(readerSid, out var readerSession));

        // The kernel buffers take a few hundred KB; after that every 4 KB frame queues until 200 overflow. The
        // emitter waits for the reading client's queue, so only the paused one can overflow.
        var sent = 0;
        while (server.Io.Engine.SessionCount == 2)
        {
            Assert.True(sent < 20_000, "the paused client was never closed");
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (readerSession!.QueuedFrames > 50)
            {
                Assert.True(DateTime.UtcNow < deadline, "the reading client's queue never drained");
                await Task.Delay(1);
            }

            await server.Io.Of("/").EmitAsync("small", sent++, payload).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        }

        Assert.True(await paused.WaitServerSideGoneAsync(TimeSpan.FromSeconds(10)), paused.ServerSideState());
        for (var i = 0; i < sent; i++)
        {
            var text = await reader.ReceiveUntilAsync("42", TimeSpan.FromSeconds(20));
            Assert.Equal(i, JsonDocument.Parse(text[2..]).RootElement[1].GetInt32());
        }
    }
}
