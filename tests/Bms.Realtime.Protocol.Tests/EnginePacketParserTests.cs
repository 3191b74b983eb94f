using System.Text;

namespace Bms.Realtime.Protocol.Tests;

public sealed class EnginePacketParserTests
{
    // Every WebSocket frame shown in docs/engine.io-protocol/v4-current.md and the sample session of v5-current.md.
    public static TheoryData<string, EnginePacketType, string> SpecFrames => new()
    {
        { "0{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}", EnginePacketType.Open, "{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}" },
        { "1", EnginePacketType.Close, "" },
        { "2", EnginePacketType.Ping, "" },
        { "3", EnginePacketType.Pong, "" },
        { "2probe", EnginePacketType.Ping, "probe" },
        { "3probe", EnginePacketType.Pong, "probe" },
        { "4hello", EnginePacketType.Message, "hello" },
        { "5", EnginePacketType.Upgrade, "" },
        { "6", EnginePacketType.Noop, "" },
        { "40", EnginePacketType.Message, "0" },
        { "42[\"hello\"]", EnginePacketType.Message, "2[\"hello\"]" },
        { "40/admin,", EnginePacketType.Message, "0/admin," },
        { "40/admin,{\"sid\":\"-G5j-67EZFp-q59rADQM\"}", EnginePacketType.Message, "0/admin,{\"sid\":\"-G5j-67EZFp-q59rADQM\"}" },
        { "42/admin,1[\"tellme\"]", EnginePacketType.Message, "2/admin,1[\"tellme\"]" },
        { "461-/admin,1[{\"_placeholder\":true,\"num\":0}]", EnginePacketType.Message, "61-/admin,1[{\"_placeholder\":true,\"num\":0}]" },
        { "4€ünïcödé", EnginePacketType.Message, "€ünïcödé" },
    };

    [Theory]
    [MemberData(nameof(SpecFrames))]
    public void ParseTextReadsTheTypeDigitAndKeepsTheRestAsData(string frame, EnginePacketType type, string data)
    {
        var packet = EnginePacketParser.ParseText(Encoding.UTF8.GetBytes(frame));

        Assert.Equal(type, packet.Type);
        Assert.False(packet.IsBinary);
        Assert.Equal(data, Encoding.UTF8.GetString(packet.Data.Span));
    }

    [Theory]
    [MemberData(nameof(SpecFrames))]
    public void WriteTextAndToTextFrameProduceTheSpecFrame(string frame, EnginePacketType type, string data)
    {
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        EnginePacketParser.WriteText(writer, type, Encoding.UTF8.GetBytes(data));

        Assert.Equal(frame, Encoding.UTF8.GetString(writer.WrittenSpan));
        Assert.Equal(frame, Encoding.UTF8.GetString(EnginePacketParser.ToTextFrame(type, Encoding.UTF8.GetBytes(data))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("7")]
    [InlineData("8hello")]
    [InlineData("9")]
    [InlineData("/")]
    [InlineData("x")]
    [InlineData(" 4hello")]
    [InlineData("\u001e")]
    [InlineData("bAQID!A==")]
    [InlineData("bAQIDBA=")]
    public void ParseTextRejectsAnEmptyFrameOrAnUnknownType(string frame)
    {
        Assert.Throws<ProtocolException>(() => EnginePacketParser.ParseText(Encoding.UTF8.GetBytes(frame)));
    }

    [Theory]
    [InlineData("bAQIDBA==", "01020304")]
    [InlineData("b", "")]
    [InlineData("b/w==", "ff")]
    public void ParseTextDecodesABase64BinaryFrameAsTheReferenceParserDoes(string frame, string hex)
    {
        var packet = EnginePacketParser.ParseText(Encoding.UTF8.GetBytes(frame));

        Assert.True(packet.IsBinary);
        Assert.Equal(EnginePacketType.Message, packet.Type);
        Assert.Equal(hex, Convert.ToHexString(packet.Data.Span).ToLowerInvariant());
    }

    [Fact]
    public void ParseBinaryKeepsTheWholeFrameAsAMessageWithoutATypeByte()
    {
        byte[] frame = [1, 2, 3, 4];

        var packet = EnginePacketParser.ParseBinary(frame);

        Assert.Equal(EnginePacketType.Message, packet.Type);
        Assert.True(packet.IsBinary);
        Assert.Equal(frame, packet.Data.ToArray());
    }

    [Fact]
    public void ParseTypeMapsEveryDigitToTheSpecType()
    {
        for (var digit = 0; digit <= 6; digit++)
        {
            Assert.Equal((EnginePacketType)digit, EnginePacketParser.ParseType((byte)('0' + digit)));
        }

        for (var b = 0; b < 256; b++)
        {
            if (b is < '0' or > '6')
            {
                var value = (byte)b;
                Assert.Throws<ProtocolException>(() => EnginePacketParser.ParseType(value));
            }
        }
    }
}
