using System.Text.Json;
using Bms.Realtime.Client.Engine;
using Bms.Realtime.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bms.Realtime.Client.Tests;

/// <summary>Failures inside the client: throwing request handlers, and a connection that closes during the flush.</summary>
public abstract partial class ClientBehaviourTests
{
    [Fact]
    public async Task ARequestHandlerThatThrowsAnswersTheServerWithAnErrorAckAtOnce()
    {
        await using var server = await StartServerAsync().WaitAsync(Wait);
        await using var client = NewClient(server.Url);
        var main = client.Of("/main");
        var results = new Collector<JsonElement>();
        main.On<JsonElement, object>("ask", _ => throw new InvalidOperationException("secret detail"));
        main.On<JsonElement>("ask-result", r => results.Add(r.Clone()));
        await main.ConnectAsync().WaitAsync(Wait);

        await main.EmitAsync("server-ack-request", 7).AsTask().WaitAsync(Wait);
        var result = await results.NextAsync(Wait);

        // Without the error ack the server waits out its 5 s timeout and reports {error: "...timeout..."}.
        Assert.Equal(JsonValueKind.False, result.GetProperty("ok").ValueKind);
        Assert.Equal("handler_error", result.GetProperty("error").GetString());
        Assert.DoesNotContain("secret", result.GetRawText(), StringComparison.Ordinal);
        Assert.True(main.IsConnected);
    }

    [Fact]
    public async Task BufferedEmitsAndRoomsWhoseFlushMeetsAClosedConnectionAreKeptForTheNextConnection()
    {
        await using var server = await StartServerAsync().WaitAsync(Wait);
        await using var client = NewClient(server.Url);
        var main = client.Of("/main");
        var echoes = new Collector<int>();
        var broadcasts = new Collector<string>();
        main.On<int>("echo", n => echoes.Add(n));
        main.On<string>("bcast", b => broadcasts.Add(b!));
        await main.ConnectAsync().WaitAsync(Wait);
        Assert.True((await main.JoinRoomAsync("store:7").WaitAsync(Wait)).Ok);

        await server.StopAsync().WaitAsync(Wait);
        await client.WaitForStateAsync(ConnectionState.Reconnecting).WaitAsync(Wait);
        for (var i = 0; i < 5; i++)
        {
            await main.EmitAsync("echo", i).AsTask().WaitAsync(Wait);
        }

        // A connection that closed right as its CONNECT reply is handled: every send of the flush is refused.
        using var http = new HttpClient();
        var closed = new ConnectedEngine(new EngineConnection(new WebSocketClientOptions { Url = server.Url }, http, TimeProvider.System,
            NullLogger.Instance, client, new EngineCounters()));
        await closed.Engine.CloseAsync(ClientDisconnectReason.TransportClose, null, sendClose: false).WaitAsync(Wait);
        main.OnEngineOpen(closed);
        main.HandlePacket(closed, new SocketPacket(SocketPacketType.Connect, "/main", null, JsonDocument.Parse("""{"sid":"gone"}""").RootElement));
        Assert.Equal(5, main.BufferedEmitCount);
        Assert.Contains("store:7", main.Rooms);
        main.OnEngineClosed(closed, ClientDisconnectReason.TransportClose);

        await server.StartAsync().WaitAsync(Wait);
        Assert.Equal(Enumerable.Range(0, 5), await echoes.TakeAsync(5, TimeSpan.FromSeconds(20)));

        // A second flush of the buffer would arrive before this marker (echoes keep their order on the connection).
        await main.EmitAsync("echo", 1000).AsTask().WaitAsync(Wait);
        Assert.Equal(1000, await echoes.NextAsync(Wait));
        Assert.Equal(0, main.BufferedEmitCount);

        await using var other = NewClient(server.Url);
        var otherMain = other.Of("/main");
        await otherMain.ConnectAsync().WaitAsync(Wait);
        await Waits.UntilAsync(async () =>
        {
            await otherMain.EmitAsync("bcast", "store:7", "after-flush");
            return await Task.WhenAny(broadcasts.NextAsync(TimeSpan.FromMilliseconds(500)).ContinueWith(t => t.IsCompletedSuccessfully && t.Result == "after-flush")).Unwrap();
        }, "the room did not receive after the flush", Wait);
    }
}
