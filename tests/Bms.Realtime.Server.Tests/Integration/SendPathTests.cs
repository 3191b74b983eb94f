using System.Buffers.Binary;
using System.Text.Json;

namespace Bms.Realtime.Server.Tests.Integration;

/// <summary>
/// The send path's guarantees: one writer per connection, so frames emitted concurrently by several threads arrive in
/// each emitter's order and a packet's attachments directly follow its header, never another emit's frames.
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
}
