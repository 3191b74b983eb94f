using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Bms.Realtime.Server.Tests.Integration;

/// <summary>
/// Engine.IO CORS: origins listed by name are echoed with credentials; <c>*</c> admits other origins only as the
/// literal wildcard, never with credentials, on polling, on the HTTP WebSocket handshake and on the direct path.
/// </summary>
public sealed class CorsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AWildcardNeverEchoesAnOriginWithCredentialsOnPolling()
    {
        await using var server = await RealtimeTestHost.StartAsync(o => o.Cors.AllowedOrigins.Add("*"));
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, server.HttpUrl("transport=polling"));
        request.Headers.Add("Origin", "http://evil.example");

        using var response = await http.SendAsync(request).WaitAsync(Timeout);

        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task ANamedOriginBesideTheWildcardKeepsCredentialsOnPolling()
    {
        await using var server = await RealtimeTestHost.StartAsync(o =>
        {
            o.Cors.AllowedOrigins.Add("*");
            o.Cors.AllowedOrigins.Add("http://app.example");
        });
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, server.HttpUrl("transport=polling"));
        request.Headers.Add("Origin", "http://app.example");

        using var response = await http.SendAsync(request).WaitAsync(Timeout);

        Assert.Equal("http://app.example", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal("true", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Credentials")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AWildcardNeverEchoesAnOriginWithCredentialsOnTheWebSocketHandshake(bool direct)
    {
        await using var server = await RealtimeTestHost.StartAsync(o =>
        {
            o.DirectWebSocket = direct;
            o.Cors.AllowedOrigins.Add("*");
        });

        var head = await HandshakeHeadAsync(server.Port, "http://evil.example");

        Assert.StartsWith("HTTP/1.1 101", head, StringComparison.Ordinal);
        Assert.Contains("Access-Control-Allow-Origin: *\r\n", head, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", head, StringComparison.Ordinal);
        Assert.DoesNotContain("Access-Control-Allow-Credentials", head, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<string> HandshakeHeadAsync(int port, string origin)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port).WaitAsync(Timeout);
        var request = $"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nOrigin: {origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(request).AsMemory()).AsTask().WaitAsync(Timeout);
        var seen = new StringBuilder();
        var buffer = new byte[4096];
        while (!seen.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(Timeout);
            if (read == 0)
            {
                break;
            }

            seen.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        var text = seen.ToString();
        return text[..(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)];
    }
}
