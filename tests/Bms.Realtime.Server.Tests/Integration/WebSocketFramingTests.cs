using System.Text;
using System.Text.Json;
using Bms.Realtime.Server.Engine;
using Bms.Realtime.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using static Bms.Realtime.Server.Tests.Integration.RawFrameClient;

namespace Bms.Realtime.Server.Tests.Integration;

/// <summary>
/// Autobahn-style RFC 6455 cases that matter for a server (framing, fragmentation, control frames, UTF-8, close codes),
/// written with a raw socket and run against both the direct path with its own framing ("direct") and the HTTP path
/// with ASP.NET Core's WebSocket ("http"), and most of them against the direct path without own framing
/// ("direct-managed", ASP.NET Core's WebSocket over the raw connection).
/// </summary>
public sealed class WebSocketFramingTests
{
    private const int Text = 0x1;
    private const int Binary = 0x2;
    private const int Continuation = 0x0;
    private const int Close = 0x8;
    private const int Ping = 0x9;
    private const int Pong = 0xA;

    public static TheoryData<string> Paths => new() { "direct", "http", "direct-managed" };

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task MessagesOfEveryLengthEncodingRoundTripInMinimalUnmaskedFrames(string path)
    {
        await using var server = await StartAsync(path);
        await using var client = await JoinAsync(server);

        foreach (var length in new[] { 0, 100, 125, 200, 65_000, 70_000 })
        {
            var value = new string('v', length);
            await client.SendTextAsync($"421[\"echo\",\"{value}\"]");
            var reply = await ReadFrameAsync(client);
            Assert.Equal(Text, reply.Opcode);
            Assert.True(reply.Fin);
            Assert.Equal(HeaderFor(reply.Payload.Length), reply.HeaderLength);
            Assert.Equal($"431[\"{value}\"]", Encoding.UTF8.GetString(reply.Payload));
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task ABinaryAttachmentTravelsAsABinaryFrame(string path)
    {
        await using var server = await StartAsync(path);
        await using var client = await JoinAsync(server);

        await client.SendAsync(Frame(Text, Utf8("451-2[\"upload\",{\"_placeholder\":true,\"num\":0}]")), Frame(Binary, [1, 2, 3]));

        Assert.Equal("461-2[{\"_placeholder\":true,\"num\":0}]", Encoding.UTF8.GetString((await ReadFrameAsync(client)).Payload));
        var attachment = await ReadFrameAsync(client);
        Assert.Equal(Binary, attachment.Opcode);
        Assert.Equal(new byte[] { 1, 2, 3 }, attachment.Payload);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task AFragmentedMessageWithAPingBetweenItsFragmentsIsReassembledAndThePingAnswered(string path)
    {
        await using var server = await StartAsync(path);
        await using var client = await JoinAsync(server);

        await client.SendAsync(
            Frame(Text, Utf8("421[\"ec"), fin: false),
            Frame(Ping, Utf8("between")),
            Frame(Continuation, Utf8("ho\",\"fragm"), fin: false),
            Frame(Continuation, Utf8("ented\"]")));

        var pong = await ReadFrameAsync(client);
        Assert.Equal(Pong, pong.Opcode);
        Assert.Equal("between", Encoding.UTF8.GetString(pong.Payload));
        Assert.Equal("431[\"fragmented\"]", Encoding.UTF8.GetString((await ReadFrameAsync(client)).Payload));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task ACharacterSplitAcrossFragmentsIsValidText(string path)
    {
        await using var server = await StartAsync(path);
        await using var client = await JoinAsync(server);

        await client.SendAsync(
            Frame(Text, [.. Utf8("421[\"echo\",\"caf"), 0xC3], fin: false),
            Frame(Continuation, [0xA9, .. Utf8("\"]")]));

        Assert.Equal("431[\"caf\u00e9\"]", Encoding.UTF8.GetString((await ReadFrameAsync(client)).Payload));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task APingOfTheLargestControlSizeIsAnsweredAndAnUnsolicitedPongIsIgnored(string path)
    {
        await using var server = await StartAsync(path);
        await using var client = await JoinAsync(server);
        var body = Enumerable.Range(0, 125).Select(i => (byte)i).ToArray();

        await client.SendAsync(Frame(Pong, Utf8("unsolicited")), Frame(Ping, body), Frame(Ping, []));

        var pong = await ReadFrameAsync(client);
        Assert.Equal(Pong, pong.Opcode);
        Assert.Equal(body, pong.Payload);
        var empty = await ReadFrameAsync(client);
        Assert.Equal(Pong, empty.Opcode);
        Assert.Empty(empty.Payload);
        await client.SendTextAsync("421[\"echo\",\"still\"]");
        Assert.Equal("431[\"still\"]", Encoding.UTF8.GetString((await ReadFrameAsync(client)).Payload));
    }

    public static TheoryData<string, string> ProtocolErrors()
    {
        var data = new TheoryData<string, string>();
        foreach (var path in new[] { "direct", "http", "direct-managed" })
        {
            foreach (var violation in new[]
            {
                "rsv1", "rsv2", "rsv3", "unmasked", "opcode3", "opcode7", "opcode11", "opcode15", "continuation-first",
                "text-inside-fragmented", "fragmented-ping", "ping-126", "close-1-byte",
                "close-0", "close-999", "close-1004", "close-1005", "close-1006", "close-1015", "close-5000",
            })
            {
                data.Add(path, violation);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ProtocolErrors))]
    public async Task AProtocolViolationFailsTheConnectionWithStatus1002(string path, string violation)
    {
        await using var server = await StartAsync(path);
        await using var client = await JoinAsync(server);
        var text = Utf8("421[\"echo\",1]");

        await client.SendAsync(violation switch
        {
            "rsv1" => [Frame(Text, text, rsv: 4)],
            "rsv2" => [Frame(Text, text, rsv: 2)],
            "rsv3" => [Frame(Text, text, rsv: 1)],
            "unmasked" => [Frame(Text, text, masked: false)],
            "opcode3" => [Frame(3, text)],
            "opcode7" => [Frame(7, text)],
            "opcode11" => [Frame(11, [])],
            "opcode15" => [Frame(15, [])],
            "continuation-first" => [Frame(Continuation, text)],
            "text-inside-fragmented" => [Frame(Text, Utf8("42"), fin: false), Frame(Text, text)],
            "fragmented-ping" => [Frame(Ping, Utf8("p"), fin: false), Frame(Continuation, Utf8("q"))],
            "ping-126" => [Frame(Ping, new byte[126])],
            "close-1-byte" => [Frame(Close, [0x03])],
            _ => [Frame(Close, CloseBody(int.Parse(violation["close-".Length..], System.Globalization.CultureInfo.InvariantCulture)))],
        });

        await AssertFailedAsync(client, path, 1002);
        Assert.Equal(0, await SessionsAfterAsync(server));
    }

    [Theory]
    [InlineData("direct", "single")]
    [InlineData("direct", "fragmented")]
    [InlineData("http", "single")]
    [InlineData("http", "fragmented")]
    public async Task InvalidUtf8InATextMessageFailsTheConnectionWithStatus1007(string path, string shape)
    {
        await using var server = await StartAsync(path);
        await using var client = await JoinAsync(server);

        // 0xED 0xA0 0x80 encodes a UTF-16 surrogate, never valid UTF-8; 0xFF never appears in UTF-8.
        await client.SendAsync(shape == "single"
            ? [Frame(Text, [.. Utf8("421[\"echo\",\""), 0xFF, .. Utf8("\"]")])]
            : [Frame(Text, [.. Utf8("421[\"echo\",\""), 0xED], fin: false), Frame(Continuation, [0xA0, 0x80, .. Utf8("\"]")])]);

        await AssertFailedAsync(client, path, 1007);
    }

    [Theory]
    [InlineData("direct", 1000)]
    [InlineData("direct", 1001)]
    [InlineData("direct", 3000)]
    [InlineData("direct", 4999)]
    [InlineData("direct", 0)]
    [InlineData("http", 1000)]
    [InlineData("http", 1001)]
    [InlineData("http", 3000)]
    [InlineData("http", 4999)]
    [InlineData("http", 0)]
    [InlineData("direct-managed", 1001)]
    public async Task AClientCloseIsAnsweredWithACloseFrameAndTheSessionEnds(string path, int status)
    {
        await using var server = await StartAsync(path);
        await using var client = await JoinAsync(server);

        await client.SendAsync(Frame(Close, status == 0 ? [] : CloseBody(status, Utf8("bye"))));

        var answer = await client.ReadCloseAsync();
        Assert.Equal(status == 0 ? 1000 : status, answer);
        Assert.True(await client.ConnectionEndsAsync());
        Assert.Equal(0, await SessionsAfterAsync(server));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task AServerCloseSendsTheCloseFramePacketThenACloseFrame(string path)
    {
        await using var server = await StartAsync(path);
        await using var client = await JoinAsync(server);
        var sid = JsonDocument.Parse(client.Open[1..]).RootElement.GetProperty("sid").GetString()!;
        Assert.True(server.Io.Engine.TryGetSession(sid, out var session));

        session!.Close(EngineCloseReason.ForcedClose);

        Assert.Equal("1", Encoding.UTF8.GetString((await ReadFrameAsync(client)).Payload));
        Assert.Equal(1000, await client.ReadCloseAsync());
        Assert.True(await client.ConnectionEndsAsync());
    }

    [Theory]
    [InlineData("direct", "single")]
    [InlineData("direct", "fragmented")]
    [InlineData("http", "single")]
    [InlineData("http", "fragmented")]
    public async Task AMessageOverMaxPayloadFailsTheConnectionWithStatus1009(string path, string shape)
    {
        await using var server = await StartAsync(path, maxPayload: 2000);
        await using var client = await JoinAsync(server);
        var half = Utf8("42" + new string('x', 1098));

        await client.SendAsync(shape == "single"
            ? [Frame(Text, [.. half, .. half])]
            : [Frame(Text, half, fin: false), Frame(Continuation, half)]);

        Assert.Equal(1009, await client.ReadCloseAsync());
        Assert.True(await client.ConnectionEndsAsync());
    }

    [Fact]
    public async Task TheDirectPathRefusesAnOversizedFrameFromItsHeaderBeforeThePayloadArrives()
    {
        await using var server = await StartAsync("direct", maxPayload: 2000);
        await using var client = await JoinAsync(server);

        // Only the header (declaring 10 MB) and a few bytes: the limit is checked on the header.
        var frame = Frame(Text, Utf8("42[\"x\""), declaredLength: 10_000_000);
        await client.SendAsync(frame);

        Assert.Equal(1009, await client.ReadCloseAsync());
        Assert.True(await client.ConnectionEndsAsync());
    }

    [Fact]
    public async Task WithPermessageDeflateEnabledAnOfferGoesToTheHttpPathAndIsNegotiated()
    {
        await using var server = await RealtimeTestHost.StartAsync(o => o.PerMessageDeflate = true);
        await using var client = await RawFrameClient.ConnectAsync(server.Port, "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n", readOpen: false);

        Assert.Contains("Sec-WebSocket-Extensions: permessage-deflate", client.Head, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The server failed the connection (RFC 6455 7.1.7): the direct path always writes a close frame with
    /// <paramref name="status"/> and then closes. With ASP.NET Core's WebSocket the same frame is written, but
    /// the connection may be reset before the client reads it (Autobahn counts a dropped connection as failed too).
    /// </summary>
    private static async Task AssertFailedAsync(RawFrameClient client, string path, int status)
    {
        if (path == "direct")
        {
            Assert.Equal(status, await client.ReadCloseAsync());
            Assert.True(await client.ConnectionEndsAsync());
            return;
        }

        try
        {
            Assert.Equal(status, await client.ReadCloseAsync());
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or EndOfStreamException)
        {
            return;
        }

        Assert.True(await client.ConnectionEndsAsync());
    }

    [Fact]
    public async Task WithPermessageDeflateOffAnOfferIsTakenByTheDirectPathAndNoExtensionIsNegotiated()
    {
        await using var server = await StartAsync("direct");
        await using var client = await RawFrameClient.ConnectAsync(server.Port, "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n");

        Assert.DoesNotContain("Sec-WebSocket-Extensions", client.Head, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("0{\"sid\":", client.Open, StringComparison.Ordinal);
        Assert.Equal(1, server.Services.GetRequiredService<RealtimeMetrics>().DirectWebSocketSessions);
    }

    private static int HeaderFor(int length) => length <= 125 ? 2 : length <= ushort.MaxValue ? 4 : 10;

    private static Task<RealtimeTestHost> StartAsync(string path, int maxPayload = 1_000_000) =>
        RealtimeTestHost.StartAsync(
            o =>
            {
                o.DirectWebSocket = path != "http";
                o.DirectWebSocketFraming = path == "direct";
                o.MaxPayload = maxPayload;
            },
            io => io.Of("/").OnConnection(s =>
            {
                s.On("echo", e => e.AckAsync(e.Args.ToArray()));
                s.On("upload", e => e.AckAsync(e.Args.Get<byte[]>(0)!));
            }));

    private static async Task<RawFrameClient> JoinAsync(RealtimeTestHost server)
    {
        var client = await RawFrameClient.ConnectAsync(server.Port);
        await client.SendTextAsync("40");
        await client.ReadTextUntilAsync("40");
        return client;
    }

    /// <summary>The next frame that is not an Engine.IO ping (pings are answered).</summary>
    private static async Task<(int Opcode, bool Fin, byte[] Payload, int HeaderLength)> ReadFrameAsync(RawFrameClient client)
    {
        while (true)
        {
            var frame = await client.ReadFrameAsync();
            if (frame.Opcode == Text && frame.Payload is [(byte)'2'])
            {
                await client.SendTextAsync("3");
                continue;
            }

            return frame;
        }
    }

    private static async Task<int> SessionsAfterAsync(RealtimeTestHost server)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (server.Io.Engine.SessionCount > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        return server.Io.Engine.SessionCount;
    }
}
