using System.Text;
using System.Text.Json;

namespace Bms.Realtime.Protocol.Tests;

public sealed class SocketPacketTests
{
    [Theory]
    [InlineData("2[\"chat:message\",1]", "chat:message")]
    [InlineData("2[\"\\u0063hat\"]", "chat")]
    [InlineData("2[\"line\\nbreak\"]", "line\nbreak")]
    [InlineData("2[\"é€𝄞\"]", "é€𝄞")]
    [InlineData("2[\"\"]", "")]
    [InlineData("2[7]", "7")]
    [InlineData("2[-1.5e3]", "-1.5e3")]
    [InlineData("51-[\"bin\",{\"_placeholder\":true,\"num\":0}]", "bin")]
    public void EventNameReadsStringsEscapesAndNumbers(string text, string expected)
    {
        var decoder = SocketPacketDecoderTests.Decoder(fromClient: true);
        var packet = decoder.DecodeText(Encoding.UTF8.GetBytes(text)) ?? decoder.DecodeBinary(new byte[] { 1 });

        Assert.Equal(expected, packet!.EventName);
    }

    [Fact]
    public void EventNameOfTheSameNameIsOneSharedString()
    {
        var first = SocketPacketDecoderTests.Decoder(fromClient: true).DecodeText("2[\"inventory:updated\",1]"u8)!.EventName;
        var second = SocketPacketDecoderTests.Decoder(fromClient: true).DecodeText("2/x,5[\"inventory:updated\",2]"u8)!.EventName;

        Assert.Equal("inventory:updated", first);
        Assert.Same(first, second);
    }

    [Fact]
    public void EventNameLongerThanTheCacheLimitIsStillRead()
    {
        var name = new string('n', 500);

        var packet = SocketPacketDecoderTests.Decoder(fromClient: true).DecodeText(Encoding.UTF8.GetBytes($"2[\"{name}\"]"))!;

        Assert.Equal(name, packet.EventName);
    }

    [Theory]
    [InlineData("0{\"a\":1}")]
    [InlineData("312[\"a\"]")]
    [InlineData("1")]
    public void EventNameIsNullForPacketsOtherThanEvents(string text)
    {
        Assert.Null(SocketPacketDecoderTests.Decoder(fromClient: true).DecodeText(Encoding.UTF8.GetBytes(text))!.EventName);
    }

    [Fact]
    public void ConstructorKeepsIdAndDataAsGiven()
    {
        var data = JsonDocument.Parse("[\"e\"]").RootElement;

        var withBoth = new SocketPacket(SocketPacketType.Event, "/", 0, data);
        var withNeither = new SocketPacket(SocketPacketType.Disconnect, "/a", null, null);

        Assert.Equal(0, withBoth.Id);
        Assert.Equal("[\"e\"]", withBoth.Data?.GetRawText());
        Assert.Equal("e", withBoth.EventName);
        Assert.Null(withNeither.Id);
        Assert.Null(withNeither.Data);
        Assert.Empty(withNeither.Attachments);
        Assert.Throws<ArgumentNullException>(() => new SocketPacket(SocketPacketType.Event, null!, null, null));
    }

    [Fact]
    public void EventNameIsSafeToReadFromManyThreads()
    {
        var packet = SocketPacketDecoderTests.Decoder(fromClient: true).DecodeText("2[\"shared\"]"u8)!;
        var names = new string?[32];

        Parallel.For(0, names.Length, i => names[i] = packet.EventName);

        Assert.All(names, n => Assert.Equal("shared", n));
    }
}
