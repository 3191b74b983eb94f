using Bms.Realtime.Client.Tests.Servers;

namespace Bms.Realtime.Client.Tests;

/// <summary>Connection-state recovery (socket.io 4.6+) against both servers.</summary>
public abstract class ConnectionStateRecoveryTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    protected abstract Task<ITestServer> StartServerAsync();

    [Fact]
    public async Task ALostConnectionIsRecoveredWithTheSameIdRoomsAndTheMissedEventsInOrder()
    {
        await using var server = await StartServerAsync().WaitAsync(Wait);
        await using var client = WebSocketClientFactory.Create(new WebSocketClientOptions
        {
            Url = server.Url,
            ReconnectionDelay = TimeSpan.FromMilliseconds(800),
            ReconnectionDelayMax = TimeSpan.FromMilliseconds(800),
            RandomizationFactor = 0,
        });
        var main = client.Of("/main");
        var received = new Collector<int>();
        var connects = new Collector<bool>();
        main.On<int>("bcast", n => received.Add(n));
        main.Connected += (_, _) => connects.Add(true);
        await main.ConnectAsync().WaitAsync(Wait);
        await connects.NextAsync(Wait);
        Assert.True((await main.JoinRoomAsync("store:9").WaitAsync(Wait)).Ok);
        var id = main.Id;

        await using var helper = WebSocketClientFactory.Create(new WebSocketClientOptions { Url = server.Url });
        var helperMain = helper.Of("/main");
        var helperCopies = new Collector<int>();
        helperMain.On<int>("bcast", n => helperCopies.Add(n));
        await helperMain.ConnectAsync().WaitAsync(Wait);
        Assert.True((await helperMain.JoinRoomAsync("store:9").WaitAsync(Wait)).Ok);
        await helperMain.EmitAsync("bcast", "store:9", 0).AsTask().WaitAsync(Wait);
        Assert.Equal(0, await received.NextAsync(Wait));
        Assert.Equal(0, await helperCopies.NextAsync(Wait));

        // Drop the transport as a network failure would (no close packet); the client waits 800 ms before retrying.
        var session = client.CurrentOpenSession!;
        await session.Engine.CloseAsync(ClientDisconnectReason.TransportError, null, sendClose: false).WaitAsync(Wait);
        await client.WaitForStateAsync(ConnectionState.Reconnecting).WaitAsync(Wait);
        await Task.Delay(150);
        for (var i = 1; i <= 10; i++)
        {
            await helperMain.EmitAsync("bcast", "store:9", i).AsTask().WaitAsync(Wait);
        }

        Assert.Equal(Enumerable.Range(1, 10), await helperCopies.TakeAsync(10, Wait));
        await connects.NextAsync(Wait);
        Assert.True(main.Recovered);
        Assert.Equal(id, main.Id);
        Assert.Equal(Enumerable.Range(1, 10), await received.TakeAsync(10, Wait));

        await helperMain.EmitAsync("bcast", "store:9", 11).AsTask().WaitAsync(Wait);
        Assert.Equal(11, await received.NextAsync(Wait));

        // Nothing was delivered twice: a replayed copy would arrive before the next broadcast.
        await helperMain.EmitAsync("bcast", "store:9", 12).AsTask().WaitAsync(Wait);
        Assert.Equal(12, await received.NextAsync(Wait));
    }
}
