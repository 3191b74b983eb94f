using System.Text.Json;

namespace Bms.Realtime.Protocol.Tests;

public sealed class EventArgumentsTests
{
    [Fact]
    public void GetReadsARecordWithBuffersNestedInObjectsAndArrays()
    {
        var sent = new Upload("a.bin", [1, 2], [new byte[] { 3 }, new byte[] { 4, 5 }], new Meta(new byte[] { 6 }, 2));
        var packet = SocketPacketRoundTripTests.Decode(SocketPacketEncoder.EncodeEvent("/", "up", [sent, "tail"]), fromClient: true);

        var received = packet.Arguments.Get<Upload>(0);

        Assert.NotNull(received);
        Assert.Equal("a.bin", received.Name);
        Assert.Equal(sent.Content, received.Content);
        Assert.Equal(sent.Parts, received.Parts);
        Assert.Equal(new byte[] { 6 }, received.Meta.Thumb.ToArray());
        Assert.Equal(2, received.Meta.Version);
        Assert.Equal("tail", packet.Arguments.Get<string>(1));
    }

    [Fact]
    public void GetReadsBuffersFromAWireBinaryEvent()
    {
        var decoder = SocketPacketDecoderTests.Decoder(fromClient: true);
        decoder.DecodeText("52-[\"up\",{\"name\":\"n\",\"content\":{\"_placeholder\":true,\"num\":1},\"parts\":[{\"_placeholder\":true,\"num\":0}],\"meta\":{\"thumb\":{\"_placeholder\":true,\"num\":0},\"version\":1}}]"u8);
        decoder.DecodeBinary(new byte[] { 10 });
        var packet = decoder.DecodeBinary(new byte[] { 20 })!;

        var upload = packet.Arguments.Get<Upload>(0)!;

        Assert.Equal(new byte[] { 20 }, upload.Content);
        Assert.Equal(new byte[] { 10 }, Assert.Single(upload.Parts));
        Assert.Equal(new byte[] { 10 }, upload.Meta.Thumb.ToArray());
    }

    [Fact]
    public void ToArrayResolvesPlaceholdersToBuffersAtAnyDepth()
    {
        var packet = SocketPacketRoundTripTests.Decode(
            SocketPacketEncoder.EncodeAck("/", 1, [new byte[] { 1 }, new { list = new object[] { 1, new byte[] { 2 } } }]),
            fromClient: true);

        var args = packet.Arguments.ToArray();

        Assert.Equal(new byte[] { 1 }, args[0]);
        var map = Assert.IsType<Dictionary<string, object?>>(args[1]);
        var list = Assert.IsType<List<object?>>(map["list"]);
        Assert.Equal(1, Assert.IsType<JsonElement>(list[0]).GetInt32());
        Assert.Equal(new byte[] { 2 }, list[1]);
    }

    [Fact]
    public void ToArrayWithoutAttachmentsReturnsTheRawElements()
    {
        var packet = SocketPacketDecoderTests.Decoder(fromClient: true).DecodeText("2[\"e\",{\"a\":1},[2]]"u8)!;

        var args = packet.Arguments.ToArray();

        Assert.Equal("{\"a\":1}", Assert.IsType<JsonElement>(args[0]).GetRawText());
        Assert.Equal("[2]", Assert.IsType<JsonElement>(args[1]).GetRawText());
    }

    [Fact]
    public void CountGetRawAndGetSkipTheEventName()
    {
        var args = SocketPacketDecoderTests.Decoder(fromClient: true).DecodeText("2[\"e\",1,\"two\",null]"u8)!.Arguments;

        Assert.Equal(3, args.Count);
        Assert.Equal(1, args.GetRaw(0).GetInt32());
        Assert.Equal("two", args.Get<string>(1));
        Assert.Null(args.Get<string>(2));
        Assert.Equal(0, args.Get<int>(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => args.GetRaw(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => args.GetRaw(-1));
    }

    [Fact]
    public void TryGetReportsMissingAndMistypedArguments()
    {
        var args = SocketPacketDecoderTests.Decoder(fromClient: true).DecodeText("2[\"e\",\"text\",{\"_placeholder\":true,\"num\":0}]"u8)!.Arguments;

        Assert.True(args.TryGet<string>(0, out var text));
        Assert.Equal("text", text);
        Assert.False(args.TryGet<int>(0, out _));
        Assert.False(args.TryGet<string>(5, out _));
        Assert.False(args.TryGet<byte[]>(1, out _));
    }

    [Fact]
    public void GetOfAPlaceholderInATextPacketIsAJsonError()
    {
        var args = SocketPacketDecoderTests.Decoder(fromClient: true).DecodeText("2[\"e\",{\"_placeholder\":true,\"num\":0}]"u8)!.Arguments;

        Assert.Throws<JsonException>(() => args.Get<byte[]>(0));
        Assert.Throws<JsonException>(() => args.Get<ReadOnlyMemory<byte>>(0));
    }

    [Theory]
    [InlineData("{\"_placeholder\":{\"x\":1},\"num\":0}")]
    [InlineData("{\"_placeholder\":[true],\"num\":0}")]
    [InlineData("{\"_placeholder\":true,\"num\":{\"n\":0}}")]
    [InlineData("{\"_placeholder\":true,\"num\":1.5}")]
    [InlineData("{\"_placeholder\":true,\"num\":1e40}")]
    [InlineData("{\"num\":0}")]
    [InlineData("[1]")]
    [InlineData("\"!!notbase64\"")]
    [InlineData("17")]
    public void GetOfAMalformedBinaryValueIsAJsonError(string json)
    {
        var packet = new SocketPacket(
            SocketPacketType.BinaryEvent, "/", null, JsonDocument.Parse($"[\"e\",{json}]").RootElement, [new byte[] { 1 }]);

        Assert.Throws<JsonException>(() => packet.Arguments.Get<byte[]>(0));
        Assert.Throws<JsonException>(() => packet.Arguments.Get<ReadOnlyMemory<byte>>(0));
        var wrapped = new SocketPacket(
            SocketPacketType.BinaryEvent, "/", null, JsonDocument.Parse($"[\"e\",{{\"data\":{json}}}]").RootElement, [new byte[] { 1 }]);
        Assert.Throws<JsonException>(() => wrapped.Arguments.Get<Wrapper>(0));
    }

    [Fact]
    public void GetReadsNullIntoNullableBinaryMembers()
    {
        var args = SocketPacketDecoderTests.Decoder(fromClient: true).DecodeText("2[\"e\",null,{\"data\":null}]"u8)!.Arguments;

        Assert.Null(args.Get<byte[]>(0));
        Assert.True(args.Get<ReadOnlyMemory<byte>>(0).IsEmpty);
        Assert.Null(args.Get<Wrapper>(1)!.Data);
    }

    [Fact]
    public void EmptyArgumentsHaveNoValues()
    {
        var args = EventArguments.Empty;

        Assert.Equal(0, args.Count);
        Assert.Empty(args.ToArray());
        Assert.Empty(args.Attachments);
        Assert.Null(args.Get<string>(0));
    }

    [Fact]
    public void ArgumentsOfNonEventPacketsAreEmpty()
    {
        var connect = SocketPacketDecoderTests.Decoder(fromClient: true).DecodeText("0{\"token\":\"1\"}"u8)!;

        Assert.Equal(0, connect.Arguments.Count);
        Assert.Null(connect.EventName);
    }

    [Fact]
    public void ConstructorRejectsANonArray()
    {
        Assert.Throws<ArgumentException>(() => new EventArguments(JsonDocument.Parse("{}").RootElement, 0, null));
    }

    internal sealed record Meta(ReadOnlyMemory<byte> Thumb, int Version);

    internal sealed record Upload(string Name, byte[] Content, List<byte[]> Parts, Meta Meta);

    internal sealed record Wrapper(byte[]? Data);
}
