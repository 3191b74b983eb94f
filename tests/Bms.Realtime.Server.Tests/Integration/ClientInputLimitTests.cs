using Bms.Realtime.Server.Namespaces;

namespace Bms.Realtime.Server.Tests.Integration;

/// <summary>
/// Limits on what a client's packets may make the server hold or show: unfinished binary packets (bytes and time)
/// and event names (length and characters, checked before any handler sees them).
/// </summary>
public sealed class ClientInputLimitTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ABinaryPacketLeftUnfinishedIsClosedAfterTheAttachmentTimeout()
    {
        await using var server = await RealtimeTestHost.StartAsync(o => o.AttachmentTimeout = TimeSpan.FromMilliseconds(500));
        await using var client = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await client.JoinAsync();

        await client.SendAsync("452-[\"upload\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
        await client.SendBinaryAsync(new byte[1000]);

        await client.Closed.WaitAsync(Timeout);
        Assert.Equal(0, server.Io.Engine.SessionCount);
    }

    [Fact]
    public async Task AttachmentsBeyondMaxAttachmentBytesCloseTheConnectionAndOthersAreServed()
    {
        await using var server = await RealtimeTestHost.StartAsync(o => o.MaxAttachmentBytes = 4096, io => io.Of("/").OnConnection(s =>
        {
            s.On("upload", e => e.AckAsync(e.Args.Get<byte[]>(0)!.Length));
            s.On("echo", e => e.AckAsync(e.Args.ToArray()));
        }));
        await using var good = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await using var bad = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await good.JoinAsync();
        await bad.JoinAsync();

        await good.SendAsync("451-1[\"upload\",{\"_placeholder\":true,\"num\":0}]");
        await good.SendBinaryAsync(new byte[4096]);
        Assert.Equal("431[4096]", await good.ReceiveUntilAsync("43"));

        await bad.SendAsync("452-1[\"upload\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
        await bad.SendBinaryAsync(new byte[3000]);
        await bad.SendBinaryAsync(new byte[3000]);

        await bad.Closed.WaitAsync(Timeout);
        await good.SendAsync("422[\"echo\",\"still\"]");
        Assert.Equal("432[\"still\"]", await good.ReceiveUntilAsync("43"));
    }

    [Theory]
    [InlineData(129, "name_too_long")]
    [InlineData(100_000, "name_too_long")]
    public async Task AnEventNameLongerThanTheLimitIsRefusedBeforeAnyHandler(int length, string reason)
    {
        var (server, seen, refused) = await StartCountingAsync();
        await using var _ = server;
        await using var client = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await client.JoinAsync();

        await client.SendAsync("427[\"" + new string('a', length) + "\",1]");

        Assert.Equal("437[{\"ok\":false,\"error\":\"invalid_event\"}]", await client.ReceiveUntilAsync("43"));
        Assert.Equal(reason, Assert.Single(refused).ToWireString());
        Assert.Empty(seen);

        // A name at the limit is a plain event; the connection stays open.
        await client.SendAsync("428[\"" + new string('a', 128) + "\",1]");
        Assert.Equal("438[\"ok\"]", await client.ReceiveUntilAsync("43"));
        Assert.Single(seen);
    }

    [Theory]
    [InlineData("bad\\u0001name")]
    [InlineData("tab\\there")]
    [InlineData("caf\u00e9")]
    [InlineData("caf\\u00e9")]
    [InlineData("zero\\u200bwidth")]
    public async Task AnEventNameWithCharactersOutsidePrintableAsciiIsRefusedByDefault(string name)
    {
        var (server, seen, refused) = await StartCountingAsync();
        await using var _ = server;
        await using var client = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await client.JoinAsync();

        await client.SendAsync("423[\"" + name + "\"]");

        Assert.Equal("433[{\"ok\":false,\"error\":\"invalid_event\"}]", await client.ReceiveUntilAsync("43"));
        Assert.Equal(EventRefusalReason.NameNotAllowed, Assert.Single(refused));
        Assert.Empty(seen);
    }

    [Fact]
    public async Task NonAsciiEventNamesPassWhenAllowedButControlAndFormatCharactersNever()
    {
        var (server, seen, refused) = await StartCountingAsync(o => o.AllowNonAsciiEventNames = true);
        await using var _ = server;
        await using var client = await RawWebSocketClient.ConnectAsync(server.WsUrl());
        await client.JoinAsync();

        await client.SendAsync("424[\"caf\u00e9 \ud83d\ude00\"]");
        Assert.Equal("434[\"ok\"]", await client.ReceiveUntilAsync("43"));
        await client.SendAsync("425[\"zero\\u200bwidth\"]");
        Assert.Equal("435[{\"ok\":false,\"error\":\"invalid_event\"}]", await client.ReceiveUntilAsync("43"));

        Assert.Equal(["caf\u00e9 \ud83d\ude00"], seen);
        Assert.Equal(EventRefusalReason.NameNotAllowed, Assert.Single(refused));
    }

    [Fact]
    public async Task OutOfRangeInputLimitsAreRefusedAtStart()
    {
        await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => RealtimeTestHost.StartAsync(o => o.MaxEventNameLength = 0));
        await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => RealtimeTestHost.StartAsync(o => o.MaxAttachmentBytes = 0));
        await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => RealtimeTestHost.StartAsync(o => o.AttachmentTimeout = TimeSpan.Zero));
    }

    /// <summary>A server whose catch-all handler acks "ok" and records names; refusals are recorded from the hook.</summary>
    private static async Task<(RealtimeTestHost Server, List<string> Seen, List<EventRefusalReason> Refused)> StartCountingAsync(Action<Hosting.RealtimeServerOptions>? configure = null)
    {
        var seen = new List<string>();
        var refused = new List<EventRefusalReason>();
        var server = await RealtimeTestHost.StartAsync(configure, io =>
        {
            io.EventRefused += (_, reason) =>
            {
                lock (refused)
                {
                    refused.Add(reason);
                }
            };
            io.Of("/").OnConnection(s => s.OnAny(e =>
            {
                lock (seen)
                {
                    seen.Add(e.Name);
                }

                return e.AckAsync("ok");
            }));
        });
        return (server, seen, refused);
    }
}
