using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bms.Realtime.Server.Namespaces;

namespace Bms.Realtime.Server.Tests.Integration;

/// <summary>Bad input closes only the offending session, with the reference server's errors; everyone else is served.</summary>
public sealed class EngineBadInputTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>An echo server; each socket's disconnect reason goes to <paramref name="reasons"/>.</summary>
    private static Task<RealtimeTestHost> StartEchoAsync(Action<Hosting.RealtimeServerOptions>? configure = null, Collector<DisconnectReason>? reasons = null) =>
        RealtimeTestHost.StartAsync(configure, io => io.Of("/").OnConnection(s =>
        {
            s.On("echo", e => e.AckAsync(e.Args.ToArray()));
            s.OnDisconnect(r => reasons?.Add(r));
        }));

    private static async Task AssertEchoWorksAsync(RawWebSocketClient client, string value)
    {
        await client.SendAsync($"421[\"echo\",\"{value}\"]");
        Assert.Equal($"431[\"{value}\"]", await client.ReceiveUntilAsync("43").WaitAsync(Timeout));
    }

    [Fact]
    public async Task GarbageWebSocketFrameClosesOnlyThatSession()
    {
        var reasons = new Collector<DisconnectReason>();
        await using var server = await StartEchoAsync(reasons: reasons);
        await using var good = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await using var bad = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await good.JoinAsync();
        await bad.JoinAsync();

        await bad.SendAsync("x garbage");

        await bad.Closed.WaitAsync(Timeout);
        Assert.Equal(DisconnectReason.ParseError, await reasons.NextAsync(Timeout));
        await AssertEchoWorksAsync(good, "still-here");
    }

    [Fact]
    public async Task MalformedSocketPacketClosesTheSession()
    {
        var reasons = new Collector<DisconnectReason>();
        await using var server = await StartEchoAsync(reasons: reasons);
        await using var client = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await client.JoinAsync();

        await client.SendAsync("42[\"connect\"]");

        await client.Closed.WaitAsync(Timeout);
        Assert.Equal(DisconnectReason.ParseError, await reasons.NextAsync(Timeout));
        var deadline = DateTime.UtcNow + Timeout;
        while (server.Io.Of("/").Sockets.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Empty(server.Io.Of("/").Sockets);
    }

    [Fact]
    public async Task EventForANamespaceNotJoinedClosesTheSession()
    {
        await using var server = await StartEchoAsync();
        await using var client = await RawWebSocketClient.ConnectAsync(server.WsUrl());

        await client.SendAsync("42/other,[\"hello\"]");

        await client.Closed.WaitAsync(Timeout);
    }

    [Fact]
    public async Task OversizedWebSocketMessageClosesOnlyThatSession()
    {
        var reasons = new Collector<DisconnectReason>();
        await using var server = await StartEchoAsync(o => o.MaxPayload = 4096, reasons);
        await using var good = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await using var bad = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await good.JoinAsync();
        await bad.JoinAsync();

        await bad.SendAsync("42[\"echo\",\"" + new string('a', 10_000) + "\"]");

        await bad.Closed.WaitAsync(Timeout);
        Assert.Equal(DisconnectReason.TransportError, await reasons.NextAsync(Timeout));
        await AssertEchoWorksAsync(good, "ok");
    }

    [Fact]
    public async Task OversizedPollingBodyIsAnswered413()
    {
        await using var server = await StartEchoAsync(o => o.MaxPayload = 4096);
        using var http = new HttpClient();
        var sid = await OpenPollingAsync(http, server);

        var response = await http.PostAsync(server.HttpUrl($"transport=polling&sid={sid}"), new StringContent("4" + new string('a', 10_000))).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var after = await http.GetAsync(server.HttpUrl($"transport=polling&sid={sid}")).WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.BadRequest, after.StatusCode);
    }

    [Theory]
    [InlineData("transport=polling&sid=unknown", 1, "Session ID unknown")]
    [InlineData("transport=carrier-pigeon", 0, "Transport unknown")]
    [InlineData("transport=websocket", 3, "Bad request")]
    [InlineData("transport=polling&EIO=3", 5, "Unsupported protocol version")]
    public async Task BadRequestsGetTheReferenceErrorBodies(string query, int code, string message)
    {
        await using var server = await StartEchoAsync();
        using var http = new HttpClient();
        var url = $"http://127.0.0.1:{server.Port}/socket.io/?{(query.Contains("EIO=", StringComparison.Ordinal) ? query : "EIO=4&" + query)}";

        var response = await http.GetAsync(url).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, body.GetProperty("code").GetInt32());
        Assert.Equal(message, body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task PostWithoutSidIsABadHandshakeMethod()
    {
        await using var server = await StartEchoAsync();
        using var http = new HttpClient();

        var response = await http.PostAsync(server.HttpUrl("transport=polling"), new StringContent("4x")).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(2, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task RefusedHandshakeIsForbidden()
    {
        await using var server = await StartEchoAsync(o => o.AllowRequest = _ => ValueTask.FromResult(false));
        using var http = new HttpClient();

        var response = await http.GetAsync(server.HttpUrl("transport=polling")).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(4, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task SecondWebSocketForAnUpgradedSessionIsClosedAndTheFirstKeepsWorking()
    {
        await using var server = await StartEchoAsync();
        using var http = new HttpClient();
        var sid = await OpenPollingAsync(http, server);
        await using var upgraded = await RawWebSocketClient.ConnectAsyncNoOpen(server.WsUrl("&sid=" + sid));
        await upgraded.SendAsync("2probe");
        Assert.Equal("3probe", await upgraded.ReceiveTextAsync());
        await upgraded.SendAsync("5");

        await using var intruder = await RawWebSocketClient.ConnectAsyncNoOpen(server.WsUrl("&sid=" + sid));
        await intruder.Closed.WaitAsync(Timeout);

        Assert.StartsWith("40", await upgraded.JoinAsync());
        await AssertEchoWorksAsync(upgraded, "after-upgrade");
    }

    [Fact]
    public async Task ClientThatNeverPongsIsClosedAfterPingTimeout()
    {
        await using var server = await StartEchoAsync(o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(200);
            o.PingTimeout = TimeSpan.FromMilliseconds(200);
        });
        await using var client = await RawWebSocketClient.ConnectAsync(server.WsUrl(), autoPong: false);

        Assert.Equal("2", await client.ReceiveTextAsync());
        await client.Closed.WaitAsync(Timeout);
        Assert.Equal(0, server.Io.Engine.SessionCount);
    }

    [Fact]
    public async Task ConnectionThatJoinsNoNamespaceIsClosedAfterConnectTimeout()
    {
        await using var server = await StartEchoAsync(o => o.ConnectTimeout = TimeSpan.FromMilliseconds(300));
        await using var client = await RawWebSocketClient.ConnectAsync(server.WsUrl());

        await client.Closed.WaitAsync(Timeout);
    }

    [Fact]
    public async Task PollingClientThatNeverReadsIsClosedWhenItsQueueOverflows()
    {
        await using var server = await StartEchoAsync(o => o.MaxQueuedFrames = 64);
        using var http = new HttpClient();
        var sid = await OpenPollingAsync(http, server);
        var post = await http.PostAsync(server.HttpUrl($"transport=polling&sid={sid}"), new StringContent("40")).WaitAsync(Timeout);
        post.EnsureSuccessStatusCode();
        await using var reader = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await reader.JoinAsync();

        // The WebSocket client reads each tick before the next is sent, so only the polling client's queue grows
        // (a burst of 200 into a 64-frame limit could also overflow a reading client whose writer is starved of CPU).
        for (var i = 0; i < 200; i++)
        {
            await server.Io.Of("/").EmitAsync("tick", i);
            Assert.Equal($"42[\"tick\",{i}]", await reader.ReceiveUntilAsync("42").WaitAsync(Timeout));
        }

        Assert.False(server.Io.Engine.TryGetSession(sid, out _));
    }

    private static async Task<string> OpenPollingAsync(HttpClient http, RealtimeTestHost server)
    {
        var open = await http.GetStringAsync(server.HttpUrl("transport=polling")).WaitAsync(Timeout);
        return JsonDocument.Parse(open[1..]).RootElement.GetProperty("sid").GetString()!;
    }
}
