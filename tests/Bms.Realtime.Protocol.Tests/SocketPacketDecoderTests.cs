using System.Buffers;
using System.Text;

namespace Bms.Realtime.Protocol.Tests;

public sealed partial class SocketPacketDecoderTests
{
    // Every text packet of docs/socket.io-protocol/v5-current.md (examples and sample session) and of the reference
    // parser's tests. Columns: encoded text, sent by the client, type, namespace, ack id (-1 = none), JSON (null = none).
    public static TheoryData<string, bool, SocketPacketType, string, long, string?> TextPackets => new()
    {
        { "0", true, SocketPacketType.Connect, "/", -1, null },
        { "0/admin,", true, SocketPacketType.Connect, "/admin", -1, null },
        { "0/admin", true, SocketPacketType.Connect, "/admin", -1, null },
        { "0/admin,{\"token\":\"123\"}", true, SocketPacketType.Connect, "/admin", -1, "{\"token\":\"123\"}" },
        { "0/woot,{\"token\":\"123\"}", true, SocketPacketType.Connect, "/woot", -1, "{\"token\":\"123\"}" },
        { "0{\"sid\":\"wZX3oN0bSVIhsaknAAAI\"}", false, SocketPacketType.Connect, "/", -1, "{\"sid\":\"wZX3oN0bSVIhsaknAAAI\"}" },
        { "0/admin,{\"sid\":\"oSO0OpakMV_3jnilAAAA\"}", false, SocketPacketType.Connect, "/admin", -1, "{\"sid\":\"oSO0OpakMV_3jnilAAAA\"}" },
        { "0/admin,{\"sid\":\"-G5j-67EZFp-q59rADQM\"}", false, SocketPacketType.Connect, "/admin", -1, "{\"sid\":\"-G5j-67EZFp-q59rADQM\"}" },
        { "0{\"pid\":\"p1\",\"offset\":\"Q8JmpM_\",\"token\":\"t\"}", true, SocketPacketType.Connect, "/", -1, "{\"pid\":\"p1\",\"offset\":\"Q8JmpM_\",\"token\":\"t\"}" },
        { "1", true, SocketPacketType.Disconnect, "/", -1, null },
        { "1/admin,", true, SocketPacketType.Disconnect, "/admin", -1, null },
        { "1/custom", false, SocketPacketType.Disconnect, "/custom", -1, null },
        { "2[\"foo\"]", true, SocketPacketType.Event, "/", -1, "[\"foo\"]" },
        { "2/admin,[\"bar\"]", false, SocketPacketType.Event, "/admin", -1, "[\"bar\"]" },
        { "212[\"foo\"]", true, SocketPacketType.Event, "/", 12, "[\"foo\"]" },
        { "2/admin,13[\"foo\"]", false, SocketPacketType.Event, "/admin", 13, "[\"foo\"]" },
        { "2/admin,1[\"tellme\"]", true, SocketPacketType.Event, "/admin", 1, "[\"tellme\"]" },
        { "2[\"hey\",\"Jude\"]", false, SocketPacketType.Event, "/", -1, "[\"hey\",\"Jude\"]" },
        { "2[\"a\",1,{}]", true, SocketPacketType.Event, "/", -1, "[\"a\",1,{}]" },
        { "2[1,\"a\",{}]", true, SocketPacketType.Event, "/", -1, "[1,\"a\",{}]" },
        { "2/test,1[\"a\",1,{}]", true, SocketPacketType.Event, "/test", 1, "[\"a\",1,{}]" },
        { "2[\"news\",1,\"Q8JmpM_\"]", false, SocketPacketType.Event, "/", -1, "[\"news\",1,\"Q8JmpM_\"]" },
        { "2[\"é€\",\"ü\"]", true, SocketPacketType.Event, "/", -1, "[\"é€\",\"ü\"]" },
        { "2[\"a\"] \n", true, SocketPacketType.Event, "/", -1, "[\"a\"]" },
        { "2/ns,999999999999999[\"a\"]", true, SocketPacketType.Event, "/ns", 999999999999999, "[\"a\"]" },
        { "312[]", false, SocketPacketType.Ack, "/", 12, "[]" },
        { "3/admin,13[\"bar\"]", true, SocketPacketType.Ack, "/admin", 13, "[\"bar\"]" },
        { "3123[\"a\",1,{}]", true, SocketPacketType.Ack, "/", 123, "[\"a\",1,{}]" },
        { "314[\"bar\"]", false, SocketPacketType.Ack, "/", 14, "[\"bar\"]" },
        { "4{\"message\":\"Not authorized\"}", false, SocketPacketType.ConnectError, "/", -1, "{\"message\":\"Not authorized\"}" },
        { "4\"Unauthorized\"", false, SocketPacketType.ConnectError, "/", -1, "\"Unauthorized\"" },
        { "4/custom,{\"message\":\"Invalid namespace\"}", false, SocketPacketType.ConnectError, "/custom", -1, "{\"message\":\"Invalid namespace\"}" },
        { "4{\"message\":\"no\",\"data\":{\"code\":7}}", false, SocketPacketType.ConnectError, "/", -1, "{\"message\":\"no\",\"data\":{\"code\":7}}" },
    };

    [Theory]
    [MemberData(nameof(TextPackets))]
    public void DecodeTextReadsTypeNamespaceAckIdAndPayload(string text, bool fromClient, SocketPacketType type, string nsp, long id, string? json)
    {
        var packet = Decoder(fromClient).DecodeText(Encoding.UTF8.GetBytes(text));

        AssertPacket(packet, type, nsp, id, json);
    }

    [Theory]
    [MemberData(nameof(TextPackets))]
    public void DecodeTextGivesTheSameResultForEverySegmentation(string text, bool fromClient, SocketPacketType type, string nsp, long id, string? json)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var random = new Random(bytes.Length);
        for (var chunk = 1; chunk <= bytes.Length; chunk++)
        {
            AssertPacket(Decoder(fromClient).DecodeText(Sequences.Chunked(bytes, chunk)), type, nsp, id, json);
            AssertPacket(Decoder(fromClient).DecodeText(Sequences.RandomSplit(bytes, random)), type, nsp, id, json);
        }
    }

    [Theory]
    [InlineData("40/custom,", SocketPacketType.Connect, "/custom")]
    [InlineData("41/custom,", SocketPacketType.Disconnect, "/custom")]
    [InlineData("40/custom", SocketPacketType.Connect, "/custom")]
    [InlineData("41/custom", SocketPacketType.Disconnect, "/custom")]
    [InlineData("40", SocketPacketType.Connect, "/")]
    [InlineData("41", SocketPacketType.Disconnect, "/")]
    public void EngineMessageFramesCarryConnectAndDisconnectForANamespace(string frame, SocketPacketType type, string nsp)
    {
        var engine = EnginePacketParser.ParseText(Encoding.UTF8.GetBytes(frame));

        var packet = Decoder(fromClient: true).DecodeText(engine.Data.Span);

        Assert.Equal(EnginePacketType.Message, engine.Type);
        AssertPacket(packet, type, nsp, -1, null);
    }

    public static TheoryData<string, string[], SocketPacketType, string, long> SpecBinaryPackets => Tests.SpecBinaryPackets.All;

    [Theory]
    [MemberData(nameof(SpecBinaryPackets))]
    public void DecodeReassemblesEverySpecBinaryPacketWithItsAttachmentsInOrder(string text, string[] attachments, SocketPacketType type, string nsp, long id)
    {
        var decoder = Decoder(fromClient: true);
        var json = text[text.IndexOf('[', StringComparison.Ordinal)..];

        var packet = decoder.DecodeText(Sequences.Chunked(Encoding.UTF8.GetBytes(text), 2));
        foreach (var attachment in attachments)
        {
            Assert.Null(packet);
            packet = decoder.DecodeBinary(Convert.FromHexString(attachment));
        }

        AssertPacket(packet, type, nsp, id, json);
        Assert.Equal(attachments, packet!.Arguments.ToArray().OfType<byte[]>().Select(b => Convert.ToHexString(b).ToLowerInvariant()));
    }

    [Fact]
    public void DecodeReassemblesBinaryEventWithOneAttachment()
    {
        var decoder = Decoder(fromClient: true);

        Assert.Null(decoder.DecodeText("51-[\"baz\",{\"_placeholder\":true,\"num\":0}]"u8));
        Assert.True(decoder.IsAwaitingAttachments);
        var packet = decoder.DecodeBinary(new byte[] { 1, 2, 3, 4 });

        AssertPacket(packet, SocketPacketType.BinaryEvent, "/", -1, "[\"baz\",{\"_placeholder\":true,\"num\":0}]");
        Assert.False(decoder.IsAwaitingAttachments);
        Assert.Equal("baz", packet!.EventName);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, packet.Arguments.Get<byte[]>(0));
    }

    [Fact]
    public void DecodeReassemblesBinaryEventWithTwoAttachmentsInOrder()
    {
        var decoder = Decoder(fromClient: false);

        Assert.Null(decoder.DecodeText("52-/admin,[\"baz\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]"u8));
        Assert.Null(decoder.DecodeBinary(new byte[] { 1, 2 }));
        var packet = decoder.DecodeBinary(new byte[] { 3, 4 });

        AssertPacket(packet, SocketPacketType.BinaryEvent, "/admin", -1, "[\"baz\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
        Assert.Equal([new byte[] { 1, 2 }, new byte[] { 3, 4 }], packet!.Attachments.Select(a => a.ToArray()));
        Assert.Equal(new byte[] { 1, 2 }, packet.Arguments.Get<byte[]>(0));
        Assert.Equal(new byte[] { 3, 4 }, packet.Arguments.Get<byte[]>(1));
    }

    [Fact]
    public void DecodeResolvesPlaceholdersByNumberNotByPosition()
    {
        var decoder = Decoder(fromClient: true);

        decoder.DecodeText("53-[\"x\",{\"_placeholder\":true,\"num\":2},[{\"_placeholder\":true,\"num\":0}],{\"k\":{\"_placeholder\":true,\"num\":1}}]"u8);
        decoder.DecodeBinary(new byte[] { 0 });
        decoder.DecodeBinary(new byte[] { 1 });
        var packet = decoder.DecodeBinary(new byte[] { 2 });

        Assert.Equal(new byte[] { 2 }, packet!.Arguments.Get<byte[]>(0));
        Assert.Equal(new byte[] { 0 }, packet.Arguments.Get<byte[][]>(1)![0]);
        Assert.Equal(new byte[] { 1 }, packet.Arguments.Get<Dictionary<string, byte[]>>(2)!["k"]);
    }

    [Theory]
    [InlineData("61-15[\"bar\",{\"_placeholder\":true,\"num\":0}]", "/", 15)]
    [InlineData("61-/admin,1[{\"_placeholder\":true,\"num\":0}]", "/admin", 1)]
    public void DecodeReassemblesBinaryAck(string text, string nsp, long id)
    {
        var decoder = Decoder(fromClient: true);

        Assert.Null(decoder.DecodeText(Encoding.UTF8.GetBytes(text)));
        var packet = decoder.DecodeBinary(new byte[] { 1, 2, 3, 4 });

        AssertPacket(packet, SocketPacketType.BinaryAck, nsp, id, text[(text.IndexOf('[', StringComparison.Ordinal))..]);
        Assert.True(packet!.IsAck);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, packet.Arguments.ToArray().OfType<byte[]>().Single());
    }

    [Fact]
    public void DecodeBinaryPacketSplitAcrossSegmentsThenAttachments()
    {
        var decoder = Decoder(fromClient: true);
        var text = Encoding.UTF8.GetBytes("52-/admin,7[\"up\",{\"_placeholder\":true,\"num\":1},{\"_placeholder\":true,\"num\":0}]");

        Assert.Null(decoder.DecodeText(Sequences.Chunked(text, 1)));
        Assert.Null(decoder.DecodeBinary(new byte[] { 10 }));
        var packet = decoder.DecodeBinary(new byte[] { 20 });

        Assert.Equal(7, packet!.Id);
        Assert.Equal(new byte[] { 20 }, packet.Arguments.Get<byte[]>(0));
        Assert.Equal(new byte[] { 10 }, packet.Arguments.Get<byte[]>(1));
    }

    [Fact]
    public void ResetDropsAPartialBinaryPacketAndDecodingResumes()
    {
        var decoder = Decoder(fromClient: true);
        decoder.DecodeText("51-[\"hello\",{\"_placeholder\":true,\"num\":0}]"u8);

        decoder.Reset();

        AssertPacket(decoder.DecodeText("2[\"hello\"]"u8), SocketPacketType.Event, "/", -1, "[\"hello\"]");
    }

    [Fact]
    public void EventNameOfANumericEventIsItsText()
    {
        var packet = Decoder(fromClient: true).DecodeText("2[42,\"a\"]"u8);

        Assert.Equal("42", packet!.EventName);
        Assert.Equal(1, packet.Arguments.Count);
        Assert.Equal("a", packet.Arguments.Get<string>(0));
    }

    internal static SocketPacketDecoder Decoder(bool fromClient, SocketDecoderOptions? options = null)
    {
        options ??= new SocketDecoderOptions();
        options.FromClient = fromClient;
        return new SocketPacketDecoder(options);
    }

    internal static void AssertPacket(SocketPacket? packet, SocketPacketType type, string nsp, long id, string? json)
    {
        Assert.NotNull(packet);
        Assert.Equal(type, packet.Type);
        Assert.Equal(nsp, packet.Namespace);
        Assert.Equal(id < 0 ? null : id, packet.Id);
        Assert.Equal(json, packet.Data?.GetRawText());
    }
}
