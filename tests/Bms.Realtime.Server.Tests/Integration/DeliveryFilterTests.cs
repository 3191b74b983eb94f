using System.Text.Json;
using Bms.Realtime.Server.Adapters;

namespace Bms.Realtime.Server.Tests.Integration;

/// <summary>The per-socket delivery filter of broadcasts (<c>RealtimeSocket.DeliveryFilter</c>), observed on the wire.</summary>
public sealed class DeliveryFilterTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AFilterSkipsOnlyItsOwnSocketAndNeverAddsARecipient()
    {
        await using var server = await RealtimeTestHost.StartAsync(setup: io => io.Of("/").OnConnection(s =>
            s.On("join", e =>
            {
                s.Join(e.Args.Get<string>(0)!);
                return e.AckAsync();
            })));
        await using var plain = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await using var filtered = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await using var outside = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        var sids = new List<string>();
        foreach (var client in new[] { plain, filtered, outside })
        {
            sids.Add(JsonDocument.Parse((await client.JoinAsync())[2..]).RootElement.GetProperty("sid").GetString()!);
        }

        foreach (var client in new[] { plain, filtered })
        {
            await client.SendAsync("420[\"join\",\"store:1\"]");
            await client.ReceiveUntilAsync("430").WaitAsync(Timeout);
        }

        var nsp = server.Io.Of("/");
        var seen = new List<BroadcastPacket>();
        Func<BroadcastPacket, bool> onlyProduct5 = packet =>
        {
            lock (seen)
            {
                seen.Add(packet);
            }

            return packet.EventName == "stock" && packet.FirstArgument.GetProperty("productId").GetInt32() == 5;
        };
        nsp.Sockets[sids[1]].DeliveryFilter = onlyProduct5;
        nsp.Sockets[sids[2]].DeliveryFilter = onlyProduct5;

        await nsp.To("store:1").EmitAsync("stock", new { productId = 4, quantity = 1 });
        await nsp.To("store:1").EmitAsync("stock", new { productId = 5, quantity = 3 });

        Assert.Equal("42[\"stock\",{\"productId\":4,\"quantity\":1}]", await plain.ReceiveUntilAsync("42").WaitAsync(Timeout));
        Assert.Equal("42[\"stock\",{\"productId\":5,\"quantity\":3}]", await plain.ReceiveUntilAsync("42").WaitAsync(Timeout));
        Assert.Equal("42[\"stock\",{\"productId\":5,\"quantity\":3}]", await filtered.ReceiveUntilAsync("42").WaitAsync(Timeout));

        // Consulted for the filtering socket in the room only: the outside socket is never a recipient, whatever its filter says.
        lock (seen)
        {
            Assert.Equal(2, seen.Count);
            Assert.Equal(["4", "5"], seen.Select(p => p.FirstArgument.GetProperty("productId").GetRawText()));
        }

        // Back to no filter: the next broadcast reaches the socket whatever it carries; the outside socket got nothing.
        nsp.Sockets[sids[1]].DeliveryFilter = null;
        await nsp.To("store:1").EmitAsync("stock", new { productId = 6, quantity = 2 });
        Assert.Equal("42[\"stock\",{\"productId\":6,\"quantity\":2}]", await filtered.ReceiveUntilAsync("42").WaitAsync(Timeout));
        nsp.Sockets[sids[2]].DeliveryFilter = null;
        await nsp.EmitAsync("all", 1);
        Assert.Equal("42[\"all\",1]", await outside.ReceiveUntilAsync("42").WaitAsync(Timeout));
    }
}
