using System.Text.Json;

namespace Bms.Realtime.Server.Tests.Integration;

/// <summary>Connection-state recovery as the reference server does it, observed on the wire.</summary>
public sealed class RecoveryTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task DroppedTransportRecoversTheSessionAndReplaysMissedPacketsBeforeConnect()
    {
        await using var server = await RealtimeTestHost.StartAsync(
            o => o.ConnectionStateRecovery.Enabled = true,
            io => io.Of("/").OnConnection(s =>
            {
                if (!s.Recovered)
                {
                    s.Join("store:1");
                    s.Data["user"] = "cashier";
                }
            }));
        var nsp = server.Io.Of("/");
        var first = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        var connect = JsonDocument.Parse((await first.JoinAsync())[2..]).RootElement;
        var sid = connect.GetProperty("sid").GetString();
        var pid = connect.GetProperty("pid").GetString();

        // The CONNECT reply may reach the client before the connection handler (which joins the room) has returned.
        await Waits.UntilAsync(() => nsp.Sockets.TryGetValue(sid!, out var joined) && joined.Rooms.Contains("store:1"), within: Timeout);
        await nsp.To("store:1").EmitAsync("n", 0);
        var packet = JsonDocument.Parse((await first.ReceiveUntilAsync("42"))[2..]).RootElement;
        var offset = packet[2].GetString();
        Assert.Equal(0, packet[1].GetInt32());

        await first.DisposeAsync();
        await Waits.UntilAsync(() => nsp.Sockets.Count == 0, within: Timeout);
        for (var i = 1; i <= 3; i++)
        {
            await nsp.To("store:1").EmitAsync("n", i);
        }

        await nsp.To("elsewhere").EmitAsync("n", 99);

        await using var second = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await second.SendAsync($"40{{\"pid\":\"{pid}\",\"offset\":\"{offset}\"}}");
        var replayed = new List<int>();
        string frame;
        while (!(frame = await second.ReceiveTextAsync(Timeout)).StartsWith("40", StringComparison.Ordinal))
        {
            replayed.Add(JsonDocument.Parse(frame[2..]).RootElement[1].GetInt32());
        }

        Assert.Equal([1, 2, 3], replayed);
        var reconnect = JsonDocument.Parse(frame[2..]).RootElement;
        Assert.Equal(sid, reconnect.GetProperty("sid").GetString());
        Assert.Equal(pid, reconnect.GetProperty("pid").GetString());
        var socket = nsp.Sockets[sid!];
        Assert.True(socket.Recovered);
        Assert.Contains("store:1", socket.Rooms);
        Assert.Equal("cashier", socket.Data["user"]);
    }

    [Fact]
    public async Task UnknownPidGetsAFreshSession()
    {
        await using var server = await RealtimeTestHost.StartAsync(o => o.ConnectionStateRecovery.Enabled = true);
        await using var client = await RawWebSocketClient.ConnectAsync(server.WsUrl());

        await client.SendAsync("40{\"pid\":\"forged\",\"offset\":\"x-1\"}");
        var reply = JsonDocument.Parse((await client.ReceiveUntilAsync("40"))[2..]).RootElement;

        Assert.NotEqual("forged", reply.GetProperty("pid").GetString());
        Assert.False(server.Io.Of("/").Sockets.Values.Single().Recovered);
    }

    [Fact]
    public async Task ClientNamespaceDisconnectIsNotRecoverable()
    {
        await using var server = await RealtimeTestHost.StartAsync(o => o.ConnectionStateRecovery.Enabled = true);
        var nsp = server.Io.Of("/");
        await using var client = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        var connect = JsonDocument.Parse((await client.JoinAsync())[2..]).RootElement;
        await nsp.EmitAsync("n", 0);
        var offset = JsonDocument.Parse((await client.ReceiveUntilAsync("42"))[2..]).RootElement[2].GetString();

        await client.SendAsync("41");
        await Waits.UntilAsync(() => nsp.Sockets.Count == 0, within: Timeout);
        await client.SendAsync($"40{{\"pid\":\"{connect.GetProperty("pid").GetString()}\",\"offset\":\"{offset}\"}}");
        var reply = JsonDocument.Parse((await client.ReceiveUntilAsync("40"))[2..]).RootElement;

        Assert.NotEqual(connect.GetProperty("sid").GetString(), reply.GetProperty("sid").GetString());
    }
}
