using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bms.Realtime.Server.Tests.Integration;

/// <summary>
/// The heartbeat's pings to sessions that are due in the same tick go out in batches of 16 with a pause between
/// batches, so their pongs do not come back as one burst that every message received meanwhile waits behind. The
/// server runs on a fake clock: every session is due in the one tick the test causes, and each pause lasts until
/// the test moves the clock on.
/// </summary>
public sealed class HeartbeatPacingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task PingsDueInTheSameTickGoOutInBatchesWithAPauseBetweenThem()
    {
        const int Sessions = 64;
        const int Batch = 16;
        var time = new FakeTimeProvider();
        await using var server = await RealtimeTestHost.StartAsync(new RealtimeTestHostOptions
        {
            Configure = o =>
            {
                o.PingInterval = TimeSpan.FromSeconds(10);
                o.PingTimeout = TimeSpan.FromSeconds(10);
            },
            Builder = b => b.Services.AddSingleton<TimeProvider>(time),
        }).WaitAsync(Timeout);

        var clients = new List<ClientWebSocket>(Sessions);
        try
        {
            for (var i = 0; i < Sessions; i++)
            {
                var socket = new ClientWebSocket();
                clients.Add(socket);
                await socket.ConnectAsync(server.WsUrl(), CancellationToken.None).WaitAsync(Timeout);
                Assert.StartsWith("0{", await ReceiveTextAsync(socket).WaitAsync(Timeout));
            }

            var pinged = 0;
            var pings = clients.Select(async socket =>
            {
                Assert.Equal("2", await ReceiveTextAsync(socket));
                Interlocked.Increment(ref pinged);
                await socket.SendAsync("3"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
            }).ToArray();

            // The tick sends one batch, then waits on the (frozen) clock: nothing more can arrive until it moves.
            time.Advance(TimeSpan.FromSeconds(10.5));
            await Waits.UntilAsync(() => Volatile.Read(ref pinged) >= Batch, "the first batch of pings did not arrive", Timeout);
            await Task.Delay(300);
            Assert.Equal(Batch, Volatile.Read(ref pinged));

            // Each millisecond of the clock releases the next batch, until every session has had its ping.
            for (var step = 0; step < 500 && Volatile.Read(ref pinged) < Sessions; step++)
            {
                time.Advance(TimeSpan.FromMilliseconds(1));
                await Task.Delay(20);
            }

            await Task.WhenAll(pings).WaitAsync(Timeout);
            Assert.Equal(Sessions, server.Io.Engine.SessionCount);
        }
        finally
        {
            foreach (var socket in clients)
            {
                socket.Abort();
                socket.Dispose();
            }
        }
    }

    private static async Task<string> ReceiveTextAsync(ClientWebSocket socket)
    {
        var buffer = new byte[512];
        var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Equal(WebSocketMessageType.Text, result.MessageType);
        Assert.True(result.EndOfMessage);
        return Encoding.UTF8.GetString(buffer, 0, result.Count);
    }
}
