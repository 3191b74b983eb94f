using System.Text.Json;
using Bms.Realtime.Server.Namespaces;

namespace Bms.Realtime.Server.Tests.Integration;

/// <summary>Namespaces, middleware, rooms, broadcasts and acknowledgements, observed on the wire.</summary>
public sealed class NamespaceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task MiddlewareRejectionSendsConnectErrorWithMessageAndData()
    {
        await using var server = await RealtimeTestHost.StartAsync(setup: io =>
            io.Of("/admin").Use((_, _) => throw new ConnectionRejectedException("unauthorized", new { code = "token_missing" })));
        await using var client = await RawWebSocketClient.ConnectAsync(server.WsUrl());

        var reply = await client.JoinAsync("/admin");

        Assert.Equal("44/admin,{\"message\":\"unauthorized\",\"data\":{\"code\":\"token_missing\"}}", reply);
    }

    [Fact]
    public async Task UnknownNamespaceIsRefusedAsInvalid()
    {
        await using var server = await RealtimeTestHost.StartAsync();
        await using var client = await RawWebSocketClient.ConnectAsync(server.WsUrl());

        Assert.Equal("44/nope,{\"message\":\"Invalid namespace\"}", await client.JoinAsync("/nope"));
    }

    [Fact]
    public async Task DynamicNamespaceIsCreatedWhenThePredicateMatches()
    {
        await using var server = await RealtimeTestHost.StartAsync(setup: io =>
            io.OfDynamic(name => name.StartsWith("/tenant-", StringComparison.Ordinal), nsp => nsp.OnConnection(s => s.EmitAsync("hello", s.Namespace.Name))));
        await using var client = await RawWebSocketClient.ConnectAsync(server.WsUrl());

        Assert.StartsWith("40/tenant-7,{\"sid\":", await client.JoinAsync("/tenant-7"));
        Assert.Equal("42/tenant-7,[\"hello\",\"/tenant-7\"]", await client.ReceiveUntilAsync("42"));
        Assert.StartsWith("44/other,", await client.JoinAsync("/other"));
    }

    [Fact]
    public async Task HandshakeCarriesAuthQueryAndHeaders()
    {
        var seen = new TaskCompletionSource<RealtimeSocket>();
        await using var server = await RealtimeTestHost.StartAsync(setup: io => io.Of("/").OnConnection(s => seen.TrySetResult(s)));
        await using var client = await RawWebSocketClient.ConnectAsync(server.WsUrl("&store=1"));

        await client.JoinAsync("/", "{\"token\":\"abc\"}");
        var socket = await seen.Task.WaitAsync(Timeout);

        Assert.Equal("abc", socket.Handshake.GetAuthString("token"));
        Assert.Equal("1", socket.Handshake.Query["store"]);
        Assert.True(socket.Handshake.Headers.ContainsKey("Host"));
        Assert.NotNull(socket.Handshake.Address);
        Assert.Contains(socket.Id, socket.Rooms);
    }

    [Fact]
    public async Task BroadcastReachesTheRoomExceptExcludedSocketsAndNotOthers()
    {
        await using var server = await RealtimeTestHost.StartAsync(setup: io => io.Of("/").OnConnection(s =>
            s.On("join", e =>
            {
                s.Join(e.Args.Get<string>(0)!);
                return e.AckAsync();
            })));
        await using var a = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await using var b = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await using var c = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        foreach (var client in new[] { a, b })
        {
            await client.JoinAsync();
            await client.SendAsync("420[\"join\",\"store:1\"]");
            await client.ReceiveUntilAsync("430");
        }

        var bSid = JsonDocument.Parse((await c.JoinAsync())[2..]).RootElement.GetProperty("sid").GetString();
        var nsp = server.Io.Of("/");
        var bSocketId = nsp.Sockets.Values.Single(s => s.Rooms.Contains("store:1") && s.Id != nsp.Sockets.Values.First(x => x.Rooms.Contains("store:1")).Id).Id;

        await nsp.To("store:1").Except(bSocketId).EmitAsync("stock", new { productId = 5, quantity = 3 });
        await nsp.EmitAsync("all", 1);

        var received = new List<string>();
        foreach (var client in new[] { a, b, c })
        {
            received.Add(await client.ReceiveUntilAsync("42").WaitAsync(Timeout));
        }

        Assert.Single(received, r => r == "42[\"stock\",{\"productId\":5,\"quantity\":3}]");
        Assert.Equal(2, received.Count(r => r == "42[\"all\",1]"));
        Assert.NotNull(bSid);
    }

    [Fact]
    public async Task BroadcastWithAckCollectsEveryRecipientsAnswer()
    {
        await using var server = await RealtimeTestHost.StartAsync();
        var clients = new List<RawWebSocketClient>();
        for (var i = 0; i < 3; i++)
        {
            var client = await RawWebSocketClient.ConnectAsync(server.WsUrl());
            await client.JoinAsync();
            clients.Add(client);
        }

        var pending = server.Io.Of("/").Timeout(TimeSpan.FromSeconds(5)).EmitWithAckAsync("question", 1);
        for (var i = 0; i < clients.Count; i++)
        {
            var packet = await clients[i].ReceiveUntilAsync("42").WaitAsync(Timeout);
            var id = packet[2..packet.IndexOf('[', StringComparison.Ordinal)];
            await clients[i].SendAsync($"43{id}[{i}]");
        }

        var answers = await pending.WaitAsync(Timeout);
        Assert.Equal([0, 1, 2], answers.Select(a => a.Get<int>(0)).Order());
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task BroadcastWithAckTimesOutWithThePartialAnswers()
    {
        await using var server = await RealtimeTestHost.StartAsync();
        await using var silent = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await silent.JoinAsync();

        var error = await Assert.ThrowsAsync<BroadcastAckTimeoutException>(() =>
            server.Io.Of("/").Timeout(TimeSpan.FromMilliseconds(200)).EmitWithAckAsync("question").WaitAsync(Timeout));

        Assert.Empty(error.Responses);
        Assert.Equal(1, error.Expected);
    }

    [Fact]
    public async Task EmitWithAckToOneSocketReturnsTheAnswerOrTimesOut()
    {
        var connected = new TaskCompletionSource<RealtimeSocket>();
        await using var server = await RealtimeTestHost.StartAsync(setup: io => io.Of("/").OnConnection(s => connected.TrySetResult(s)));
        await using var client = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await client.JoinAsync();
        var socket = await connected.Task.WaitAsync(Timeout);

        var pending = socket.EmitWithAckAsync("ask", TimeSpan.FromSeconds(5), "q");
        var packet = await client.ReceiveUntilAsync("42");
        var id = packet[2..packet.IndexOf('[', StringComparison.Ordinal)];
        await client.SendAsync($"43{id}[\"a\",2]");
        var answer = await pending.WaitAsync(Timeout);

        Assert.Equal("a", answer.Get<string>(0));
        Assert.Equal(2, answer.Get<int>(1));
        await Assert.ThrowsAsync<TimeoutException>(() => socket.EmitWithAckAsync("ask", TimeSpan.FromMilliseconds(100), "ignored").WaitAsync(Timeout));
    }

    [Fact]
    public async Task FailingHandlerIsAnsweredWithAnErrorAckAndTheConnectionSurvives()
    {
        await using var server = await RealtimeTestHost.StartAsync(setup: io => io.Of("/").OnConnection(s =>
        {
            s.On("boom", _ => throw new InvalidOperationException("handler bug"));
            s.On("ok", e => e.AckAsync("fine"));
        }));
        await using var client = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await client.JoinAsync();

        await client.SendAsync("427[\"boom\"]");
        var error = await client.ReceiveUntilAsync("437");
        await client.SendAsync("428[\"ok\"]");

        Assert.Contains("internal_error", error, StringComparison.Ordinal);
        Assert.Equal("438[\"fine\"]", await client.ReceiveUntilAsync("438"));
    }

    [Fact]
    public async Task BinaryEventIsReassembledAndBinaryAckIsSentWithAttachments()
    {
        await using var server = await RealtimeTestHost.StartAsync(setup: io => io.Of("/").OnConnection(s =>
            s.On("upload", e => e.AckAsync(new { size = e.Args.Get<byte[]>(0)!.Length, data = e.Args.Get<byte[]>(0) }))));
        await using var client = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await client.JoinAsync();

        await client.SendAsync("451-3[\"upload\",{\"_placeholder\":true,\"num\":0}]");
        await client.SendBinaryAsync([1, 2, 3, 4]);

        Assert.Equal("461-3[{\"size\":4,\"data\":{\"_placeholder\":true,\"num\":0}}]", await client.ReceiveUntilAsync("46"));
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, await client.ReceiveBinaryAsync());
    }

    [Fact]
    public async Task ServerSideNamespaceDisconnectSendsDisconnectAndKeepsTheConnection()
    {
        var connected = new TaskCompletionSource<RealtimeSocket>();
        var reason = new TaskCompletionSource<DisconnectReason>();
        await using var server = await RealtimeTestHost.StartAsync(setup: io =>
        {
            io.Of("/").OnConnection(_ => { });
            io.Of("/main").OnConnection(s =>
            {
                s.OnDisconnect(r => reason.TrySetResult(r));
                connected.TrySetResult(s);
            });
        });
        await using var client = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await client.JoinAsync("/main");
        var socket = await connected.Task.WaitAsync(Timeout);

        await socket.DisconnectAsync();

        Assert.Equal("41/main,", await client.ReceiveUntilAsync("41"));
        Assert.Equal(DisconnectReason.ServerNamespaceDisconnect, await reason.Task.WaitAsync(Timeout));
        Assert.StartsWith("40", await client.JoinAsync());
    }

    [Fact]
    public async Task RoomsAreLeftWhenTheSocketDisconnects()
    {
        var connected = new TaskCompletionSource<RealtimeSocket>();
        await using var server = await RealtimeTestHost.StartAsync(setup: io => io.Of("/").OnConnection(s =>
        {
            s.Join("store:1");
            connected.TrySetResult(s);
        }));
        var client = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await client.JoinAsync();
        var socket = await connected.Task.WaitAsync(Timeout);
        Assert.Contains("store:1", server.Io.Of("/").Adapter.GetAllRooms());

        await client.SendAsync("41");
        await Waits.UntilAsync(() => !server.Io.Of("/").Adapter.GetAllRooms().Contains("store:1"), within: Timeout);

        Assert.False(socket.Connected);
        await client.DisposeAsync();
    }

    [Fact]
    public async Task ServerSideEmitWithAckOnASingleNodeAnswersWithNoResponsesAtOnce()
    {
        await using var server = await RealtimeTestHost.StartAsync();
        var main = server.Io.Of("/main");

        var responses = await main.ServerSideEmitWithAckAsync("count", [1], System.Threading.Timeout.InfiniteTimeSpan).AsTask().WaitAsync(Timeout);

        Assert.Empty(responses);
        Assert.Throws<ArgumentOutOfRangeException>(() => main.ServerSideEmitWithAckAsync("count", [], TimeSpan.Zero));
    }

    [Fact]
    public async Task ServerSideHandlersGetAnAckCallbackOnlyWhenTheSenderWaitsAndOnlyTheFirstAnswerIsSent()
    {
        await using var server = await RealtimeTestHost.StartAsync();
        var main = server.Io.Of("/main");
        var plain = new List<object?[]>();
        var callbacks = new List<bool>();
        main.OnServerSideEmit(args =>
        {
            plain.Add(args);
            return ValueTask.CompletedTask;
        });
        main.OnServerSideEmit((_, ack) =>
        {
            callbacks.Add(ack is not null);
            return ack?.Invoke("first") ?? ValueTask.CompletedTask;
        });
        main.OnServerSideEmit((_, _) => throw new InvalidOperationException("a failing handler does not stop the others"));
        main.OnServerSideEmit((_, ack) => ack?.Invoke("second") ?? ValueTask.CompletedTask);
        var sent = new List<object?>();

        await main.OnServerSideEmitReceivedAsync(["count", 1], value =>
        {
            sent.Add(value);
            return ValueTask.CompletedTask;
        }).AsTask().WaitAsync(Timeout);
        await main.OnServerSideEmitReceivedAsync(["count", 2]).AsTask().WaitAsync(Timeout);

        Assert.Equal(["first"], sent);
        Assert.Equal([true, false], callbacks);
        Assert.Equal([1, 2], plain.Select(a => (int)a[1]!));
        Assert.All(plain, a => Assert.Equal("count", a[0]));
    }

    [Fact]
    public async Task DisposedSubscriptionsAndOffStopTheirHandlersOthersKeepRunning()
    {
        var calls = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var server = await RealtimeTestHost.StartAsync(setup: io => io.Of("/").OnConnection(s =>
        {
            var first = s.On("a", _ => calls.Enqueue("a1"));
            s.On("a", _ => calls.Enqueue("a2"));
            s.On("b", _ => calls.Enqueue("b"));
            s.On("stop", e =>
            {
                first.Dispose();
                s.Off("b");
                return e.AckAsync(true);
            });
        }));
        await using var client = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await client.JoinAsync();

        await client.SendAsync("42[\"a\"]");
        await client.SendAsync("42[\"b\"]");
        await client.SendAsync("420[\"stop\"]");
        Assert.Equal("430[true]", await client.ReceiveUntilAsync("43"));
        await client.SendAsync("42[\"a\"]");
        await client.SendAsync("42[\"b\"]");
        await client.SendAsync("421[\"stop\"]");
        Assert.Equal("431[true]", await client.ReceiveUntilAsync("43"));

        Assert.Equal(["a1", "a2", "b", "a2"], calls.ToArray());
    }
}
