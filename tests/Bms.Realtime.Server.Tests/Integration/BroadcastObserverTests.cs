using System.Diagnostics;
using Bms.Realtime.Server.Adapters;

namespace Bms.Realtime.Server.Tests.Integration;

/// <summary><c>RealtimeServer.BroadcastObserver</c>: what it sees of each local delivery, and that a failing one changes nothing.</summary>
public sealed class BroadcastObserverTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task TheObserverSeesEachBroadcastWithItsRoomsRecipientsSizeAndTimesOnlyWhileSet()
    {
        await using var server = await RealtimeTestHost.StartAsync(setup: io => io.Of("/").OnConnection(s =>
            s.On("join", e =>
            {
                s.Join(e.Args.Get<string>(0)!);
                return e.AckAsync();
            })));
        await using var first = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await using var second = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await using var outside = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        foreach (var client in new[] { first, second, outside })
        {
            await client.JoinAsync();
        }

        foreach (var client in new[] { first, second })
        {
            await client.SendAsync("420[\"join\",\"store:1\"]");
            await client.ReceiveUntilAsync("430").WaitAsync(Timeout);
        }

        var seen = new List<(string Namespace, string? Name, string Rooms, int Recipients, int Bytes, string First, long Started, long Completed)>();
        server.Io.BroadcastObserver = d =>
        {
            lock (seen)
            {
                seen.Add((d.Namespace, d.Packet.EventName, string.Join(',', d.Options.Rooms), d.Recipients, d.PayloadBytes,
                    d.Packet.FirstArgument.GetRawText(), d.StartedTimestamp, d.CompletedTimestamp));
            }
        };
        var before = Stopwatch.GetTimestamp();
        var nsp = server.Io.Of("/");
        await nsp.To("store:1").EmitAsync("stock", new { productId = 4 });
        await nsp.To("store:9").EmitAsync("stock", new { productId = 5 });
        await first.ReceiveUntilAsync("42").WaitAsync(Timeout);

        lock (seen)
        {
            Assert.Equal(2, seen.Count);
            Assert.Equal(("/", "stock", "store:1", 2, "2[\"stock\",{\"productId\":4}]".Length, "{\"productId\":4}"),
                (seen[0].Namespace, seen[0].Name, seen[0].Rooms, seen[0].Recipients, seen[0].Bytes, seen[0].First));
            Assert.Equal(("store:9", 0), (seen[1].Rooms, seen[1].Recipients));
            Assert.All(seen, s => Assert.InRange(s.Started, before, s.Completed));
        }

        // A throwing observer is ignored: the broadcast still reaches everyone.
        server.Io.BroadcastObserver = _ => throw new InvalidOperationException("observer bug");
        await nsp.EmitAsync("all", 1);
        Assert.Equal("42[\"all\",1]", await outside.ReceiveUntilAsync("42").WaitAsync(Timeout));

        // Unset: nothing more is seen.
        server.Io.BroadcastObserver = null;
        await nsp.To("store:1").EmitAsync("stock", new { productId = 6 });
        Assert.Equal("42[\"stock\",{\"productId\":6}]", await second.ReceiveUntilAsync("42[\"stock\",{\"productId\":6").WaitAsync(Timeout));
        lock (seen)
        {
            Assert.Equal(2, seen.Count);
        }
    }
}
