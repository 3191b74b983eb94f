using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Bms.Realtime.Server.Hosting;
using Bms.Realtime.Server.Namespaces;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bms.Realtime.Server.Tests.Integration;

/// <summary>
/// The direct WebSocket path (<see cref="RealtimeServerOptions.DirectWebSocket"/>): fresh Engine.IO WebSocket
/// handshakes are answered by a Kestrel connection middleware; everything else still reaches the HTTP pipeline.
/// </summary>
public sealed class DirectWebSocketTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DirectWebSocketMiddlewareHeadTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task DirectSessionCarriesOpenPingPongEventsAcksAndBinaryWithoutAnHttpRequest()
    {
        await using var host = await DirectHost.StartAsync(o => o.PingInterval = TimeSpan.FromSeconds(1));
        await using var client = await RawWebSocketClient.ConnectAsync(host.WsUrl(), autoPong: false);

        Assert.StartsWith("0{\"sid\":", client.Open, StringComparison.Ordinal);
        Assert.Contains("\"upgrades\":[]", client.Open, StringComparison.Ordinal);
        await client.SendAsync("40");
        Assert.StartsWith("40{\"sid\":", await client.ReceiveUntilAsync("40"), StringComparison.Ordinal);

        Assert.Equal("2", await client.ReceiveUntilAsync("2"));
        await client.SendAsync("3");
        Assert.Equal("2", await client.ReceiveUntilAsync("2"));
        await client.SendAsync("3");

        await client.SendAsync("421[\"echo\",\"hi\"]");
        Assert.Equal("431[\"hi\"]", await client.ReceiveUntilAsync("43"));

        await client.SendAsync("451-2[\"upload\",{\"_placeholder\":true,\"num\":0}]");
        await client.SendBinaryAsync([1, 2, 3]);
        Assert.Equal("461-2[{\"_placeholder\":true,\"num\":0}]", await client.ReceiveUntilAsync("46"));
        Assert.Equal(new byte[] { 1, 2, 3 }, await client.ReceiveBinaryAsync());

        Assert.Equal(1, host.Metrics.DirectWebSocketSessions);
        Assert.Equal(0, host.SocketIoHttpRequests);
        var socket = Assert.Single(host.Io.Of("/").Sockets.Values);
        Assert.Equal("websocket", socket.Transport);
        Assert.Equal("websocket", socket.Handshake.Query["transport"]);
        Assert.Equal("4", socket.Handshake.Query["EIO"]);
        Assert.Equal($"127.0.0.1:{host.Port}", socket.Handshake.Headers["host"]);
        Assert.Equal(IPAddress.Loopback, socket.Handshake.Address);
        Assert.StartsWith("/socket.io/?EIO=4&transport=websocket", socket.Handshake.Request.Url, StringComparison.Ordinal);
        Assert.False(socket.Handshake.Request.Secure);
        Assert.False(socket.Handshake.Request.User.Identity?.IsAuthenticated);
    }

    [Fact]
    public async Task PollingAndTheUpgradeFromPollingStillGoThroughHttpOnTheSamePort()
    {
        await using var host = await DirectHost.StartAsync();
        using var http = new HttpClient { Timeout = Timeout };

        var open = await http.GetStringAsync(host.HttpUrl("transport=polling"));
        Assert.Contains("\"upgrades\":[\"websocket\"]", open, StringComparison.Ordinal);
        var sid = open[(open.IndexOf("\"sid\":\"", StringComparison.Ordinal) + 7)..];
        sid = sid[..sid.IndexOf('"', StringComparison.Ordinal)];

        await using var ws = await RawWebSocketClient.ConnectAsyncNoOpen(host.WsUrl("&sid=" + sid));
        await ws.SendAsync("2probe");
        Assert.Equal("3probe", await ws.ReceiveUntilAsync("3probe"));
        await ws.SendAsync("5");
        await ws.SendAsync("40");
        Assert.StartsWith("40{\"sid\":", await ws.ReceiveUntilAsync("40"), StringComparison.Ordinal);

        Assert.Equal(0, host.Metrics.DirectWebSocketSessions);
        Assert.True(host.SocketIoHttpRequests >= 2, $"HTTP requests: {host.SocketIoHttpRequests}");
        Assert.Equal("websocket", Assert.Single(host.Io.Of("/").Sockets.Values).Transport);
    }

    [Fact]
    public async Task RestRequestsAndOtherWebSocketPathsStillGoThroughHttp()
    {
        await using var host = await DirectHost.StartAsync();
        using var http = new HttpClient { Timeout = Timeout };

        Assert.Equal("pong", await http.GetStringAsync($"http://127.0.0.1:{host.Port}/api/ping"));

        using var blazorLike = new ClientWebSocket();
        await blazorLike.ConnectAsync(new Uri($"ws://127.0.0.1:{host.Port}/_blazor?id=1"), CancellationToken.None).WaitAsync(Timeout);
        await blazorLike.SendAsync("hello"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(Timeout);
        var buffer = new byte[64];
        var received = await blazorLike.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal("hello", Encoding.UTF8.GetString(buffer, 0, received.Count));

        Assert.Equal(0, host.Metrics.DirectWebSocketSessions);
        Assert.Equal(1, host.BlazorHttpRequests);
    }

    [Fact]
    public async Task MalformedOversizedAndSlowHeadsAreAnsweredByKestrelAndTheServerKeepsServing()
    {
        await using var host = await DirectHost.StartAsync();
        const string Handshake = "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";

        // Garbage: Kestrel's own 400.
        Assert.StartsWith("HTTP/1.1 400", await RawHttp.SendAsync(host.Port, "GET /socket.io/?EIO=4 HTTP/1.1\r\nBad Header\r\n\r\n"), StringComparison.Ordinal);

        // Larger than the direct path reads (8 KB) but within Kestrel's limits: served through HTTP.
        var big = Handshake + "X-Big: " + new string('a', 10_000) + "\r\n\r\n";
        Assert.StartsWith("HTTP/1.1 101", await RawHttp.SendAsync(host.Port, big), StringComparison.Ordinal);

        // A head that stalls past the direct path's timeout (5 s): handed to Kestrel, which completes the upgrade.
        var slow = await RawHttp.SendAsync(host.Port, Handshake + "\r\n", pauseAfter: 40, pause: TimeSpan.FromSeconds(8));
        Assert.StartsWith("HTTP/1.1 101", slow, StringComparison.Ordinal);
        Assert.Equal(0, host.Metrics.DirectWebSocketSessions);

        // Complete and well-formed: the direct path answers, with the RFC 6455 example's accept key.
        var direct = await RawHttp.SendAsync(host.Port, Handshake + "\r\n");
        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", direct, StringComparison.Ordinal);
        Assert.Contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", direct, StringComparison.Ordinal);
        Assert.Equal(1, host.Metrics.DirectWebSocketSessions);

        await using var client = await RawWebSocketClient.ConnectAsync(host.WsUrl());
        Assert.StartsWith("40", await client.JoinAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("X-Note: a\nX-Forwarded-For: 10.0.0.1\r\n")]
    [InlineData("X-Note: a\rb\r\n")]
    [InlineData("X-Note: a\n\r\n")]
    [InlineData("X-Note: a\n\n")]
    public async Task AHeadWithABareLineFeedOrCarriageReturnIsLeftToKestrel(string header)
    {
        await using var host = await DirectHost.StartAsync();
        var request = "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" + header + "\r\n";
        var stopwatch = Stopwatch.StartNew();

        var response = await RawHttp.SendAsync(host.Port, request);

        // At once, not after the direct path's wait for a complete head.
        Assert.True(stopwatch.Elapsed < DirectWebSocketMiddlewareHeadTimeout, $"answered after {stopwatch.Elapsed}");

        // Kestrel either splits the line there or refuses the head; the direct path never reads it its own way.
        Assert.StartsWith("HTTP/1.1 ", response, StringComparison.Ordinal);
        Assert.Equal(0, host.Metrics.DirectWebSocketSessions);
    }

    [Theory]
    [InlineData("EIO=3&transport=websocket", "400", "{\"code\":5,\"message\":\"Unsupported protocol version\"}")]
    [InlineData("EIO=4&transport=websocket&sid=unknown", "400", "{\"code\":1,\"message\":\"Session ID unknown\"}")]
    [InlineData("EIO=4&transport=foo", "400", "{\"code\":0,\"message\":\"Transport unknown\"}")]
    public async Task HandshakesTheDirectPathDoesNotTakeGetTheReferenceErrorsFromHttp(string query, string status, string body)
    {
        await using var host = await DirectHost.StartAsync();
        var response = await RawHttp.SendAsync(host.Port, $"GET /socket.io/?{query} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 " + status, response, StringComparison.Ordinal);
        Assert.EndsWith(body, response, StringComparison.Ordinal);
        Assert.Equal(0, host.Metrics.DirectWebSocketSessions);
    }

    [Fact]
    public async Task ARefusedOriginGetsTheSameForbiddenAsWithoutTheDirectPath()
    {
        static ValueTask<bool> AllowGoodOrigin(HttpContext context) => ValueTask.FromResult(context.Request.Headers.Origin == "http://good.example");
        await using var host = await DirectHost.StartAsync(o => o.AllowRequest = AllowGoodOrigin);
        await using var reference = await DirectHost.StartAsync(o => { o.AllowRequest = AllowGoodOrigin; o.DirectWebSocket = false; });
        const string Request = "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nOrigin: http://evil.example\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";

        var refused = await RawHttp.SendAsync(host.Port, Request);
        var expected = await RawHttp.SendAsync(reference.Port, Request);

        Assert.StartsWith("HTTP/1.1 403", refused, StringComparison.Ordinal);
        Assert.EndsWith("{\"code\":4,\"message\":\"Forbidden\"}", refused, StringComparison.Ordinal);
        Assert.Equal(WithoutDate(expected), WithoutDate(refused));
        var good = await RawHttp.SendAsync(host.Port, Request.Replace("evil", "good", StringComparison.Ordinal));
        Assert.StartsWith("HTTP/1.1 101", good, StringComparison.Ordinal);
        Assert.Equal(0, host.Metrics.DirectWebSocketSessions);
    }

    [Fact]
    public async Task CorsHeadersOnTheDirectHandshakeFollowTheAllowList()
    {
        await using var host = await DirectHost.StartAsync(o => o.Cors.AllowedOrigins.Add("http://good.example"));
        const string Request = "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nOrigin: http://{0}.example\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";

        var allowed = await RawHttp.SendAsync(host.Port, string.Format(null, Request, "good"));
        var other = await RawHttp.SendAsync(host.Port, string.Format(null, Request, "other"));

        Assert.StartsWith("HTTP/1.1 101", allowed, StringComparison.Ordinal);
        Assert.Contains("Access-Control-Allow-Origin: http://good.example\r\n", allowed, StringComparison.Ordinal);
        Assert.Contains("Access-Control-Allow-Credentials: true\r\n", allowed, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 101", other, StringComparison.Ordinal);
        Assert.DoesNotContain("Access-Control-Allow-Origin", other, StringComparison.Ordinal);
        Assert.Equal(2, host.Metrics.DirectWebSocketSessions);
    }

    [Fact]
    public async Task StoppingTheHostClosesOpenDirectSessionsPromptly()
    {
        var host = await DirectHost.StartAsync();
        await using var first = await RawWebSocketClient.ConnectAsync(host.WsUrl());
        await using var second = await RawWebSocketClient.ConnectAsync(host.WsUrl());
        await first.JoinAsync();
        Assert.Equal(2, host.Metrics.DirectWebSocketSessions);
        var stopwatch = Stopwatch.StartNew();

        await host.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"stop took {stopwatch.Elapsed}");
        await first.Closed.WaitAsync(Timeout);
        await second.Closed.WaitAsync(Timeout);
    }

    [Fact]
    public async Task WithTheOptionOffWebSocketHandshakesGoThroughHttp()
    {
        await using var host = await DirectHost.StartAsync(o => o.DirectWebSocket = false);
        await using var client = await RawWebSocketClient.ConnectAsync(host.WsUrl());

        Assert.StartsWith("40", await client.JoinAsync(), StringComparison.Ordinal);
        Assert.Equal(0, host.Metrics.DirectWebSocketSessions);
        Assert.Equal(1, host.SocketIoHttpRequests);
    }

    [Fact]
    public async Task AnEndpointWithAuthorizationMetadataKeepsHandshakesOnHttp()
    {
        await using var host = await DirectHost.StartAsync(requireAuthorization: true);

        var response = await RawHttp.SendAsync(host.Port, "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 401", response, StringComparison.Ordinal);
        Assert.Equal(0, host.Metrics.DirectWebSocketSessions);
    }

    private static string WithoutDate(string response) =>
        string.Join("\r\n", response.Split("\r\n").Where(l => !l.StartsWith("Date:", StringComparison.OrdinalIgnoreCase)));

    /// <summary>Our server plus a REST endpoint and a Blazor-like WebSocket endpoint, counting HTTP requests per path.</summary>
    private sealed class DirectHost : IAsyncDisposable
    {
        private RealtimeTestHost _host = null!;
        private int _socketIoRequests;
        private int _blazorRequests;

        public int Port => _host.Port;

        public RealtimeServer Io => _host.Io;

        public RealtimeMetrics Metrics => _host.Services.GetRequiredService<RealtimeMetrics>();

        public int SocketIoHttpRequests => Volatile.Read(ref _socketIoRequests);

        public int BlazorHttpRequests => Volatile.Read(ref _blazorRequests);

        public string HttpUrl(string query) => _host.HttpUrl(query);

        public Uri WsUrl(string query = "") => _host.WsUrl(query);

        public static async Task<DirectHost> StartAsync(Action<RealtimeServerOptions>? configure = null, bool requireAuthorization = false)
        {
            var host = new DirectHost();
            host._host = await RealtimeTestHost.StartAsync(new RealtimeTestHostOptions
            {
                Configure = configure,
                Builder = builder =>
                {
                    if (requireAuthorization)
                    {
                        builder.Services.AddAuthentication("none").AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, NoAuthentication>("none", null);
                        builder.Services.AddAuthorization();
                    }
                },
                Middleware = app =>
                {
                    app.Use((context, next) =>
                    {
                        if (context.Request.Path.StartsWithSegments("/socket.io"))
                        {
                            Interlocked.Increment(ref host._socketIoRequests);
                        }
                        else if (context.Request.Path.StartsWithSegments("/_blazor"))
                        {
                            Interlocked.Increment(ref host._blazorRequests);
                        }

                        return next(context);
                    });
                    if (requireAuthorization)
                    {
                        app.UseAuthentication();
                        app.UseAuthorization();
                    }
                },
                Endpoint = endpoint =>
                {
                    if (requireAuthorization)
                    {
                        endpoint.RequireAuthorization();
                    }
                },
                Endpoints = app =>
                {
                    app.MapGet("/api/ping", () => "pong");
                    app.Map("/_blazor", async context =>
                    {
                        using var ws = await context.WebSockets.AcceptWebSocketAsync();
                        var buffer = new byte[64];
                        var received = await ws.ReceiveAsync(buffer, context.RequestAborted);
                        await ws.SendAsync(buffer.AsMemory(0, received.Count), WebSocketMessageType.Text, true, context.RequestAborted);
                        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                    });
                },
                Setup = io => io.Of("/").OnConnection(s =>
                {
                    s.On("echo", e => e.AckAsync(e.Args.ToArray()));
                    s.On("upload", e => e.AckAsync(e.Args.Get<byte[]>(0)!));
                }),
            });
            return host;
        }

        public ValueTask DisposeAsync() => _host.DisposeAsync();
    }

    private sealed class NoAuthentication(
        Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions> options,
        ILoggerFactory logger,
        System.Text.Encodings.Web.UrlEncoder encoder)
        : Microsoft.AspNetCore.Authentication.AuthenticationHandler<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<Microsoft.AspNetCore.Authentication.AuthenticateResult> HandleAuthenticateAsync() =>
            Task.FromResult(Microsoft.AspNetCore.Authentication.AuthenticateResult.NoResult());
    }

    /// <summary>Sends raw bytes on a new connection and reads the response head (and a Content-Length body).</summary>
    private static class RawHttp
    {
        public static async Task<string> SendAsync(int port, string request, int pauseAfter = -1, TimeSpan pause = default)
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, port).WaitAsync(Timeout);
            var stream = tcp.GetStream();
            var bytes = Encoding.ASCII.GetBytes(request);
            if (pauseAfter >= 0)
            {
                await stream.WriteAsync(bytes.AsMemory(0, pauseAfter)).AsTask().WaitAsync(Timeout);
                await Task.Delay(pause);
                await stream.WriteAsync(bytes.AsMemory(pauseAfter)).AsTask().WaitAsync(Timeout);
            }
            else
            {
                await stream.WriteAsync(bytes).AsTask().WaitAsync(Timeout);
            }

            var response = new StringBuilder();
            var buffer = new byte[4096];
            while (true)
            {
                var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(Timeout);
                if (read == 0)
                {
                    return response.ToString();
                }

                response.Append(Encoding.ASCII.GetString(buffer, 0, read));
                var text = response.ToString();
                var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (headEnd < 0)
                {
                    continue;
                }

                if (text.Contains("\r\nTransfer-Encoding: chunked\r\n", StringComparison.OrdinalIgnoreCase))
                {
                    if (!text.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    return text[..(headEnd + 4)] + Dechunk(text[(headEnd + 4)..]);
                }

                var length = text.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
                var bodyLength = length is null ? 0 : int.Parse(length["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                if (text.Length >= headEnd + 4 + bodyLength)
                {
                    return text;
                }
            }
        }

        private static string Dechunk(string body)
        {
            var result = new StringBuilder();
            while (true)
            {
                var lineEnd = body.IndexOf("\r\n", StringComparison.Ordinal);
                var size = Convert.ToInt32(body[..lineEnd], 16);
                if (size == 0)
                {
                    return result.ToString();
                }

                result.Append(body, lineEnd + 2, size);
                body = body[(lineEnd + 2 + size + 2)..];
            }
        }
    }
}
