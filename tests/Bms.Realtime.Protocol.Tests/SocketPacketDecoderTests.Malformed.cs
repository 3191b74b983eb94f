using System.Text;

namespace Bms.Realtime.Protocol.Tests;

public sealed partial class SocketPacketDecoderTests
{
    // PROTOCOL.md "Reject and close" plus every invalid case of the reference parser's tests (test/parser.js).
    public static TheoryData<string, string> MalformedFromClient => new()
    {
        { "", "empty packet" },
        { "7", "unknown type" },
        { "8[\"a\"]", "unknown type" },
        { "999", "unknown type (reference: 'unknown packet type 9')" },
        { "a", "unknown type" },
        { "-1", "unknown type" },
        { "/0", "unknown type" },
        { "5", "attachment count missing" },
        { "51", "attachment count not ended by '-'" },
        { "5a-", "attachment count not a number" },
        { "51.23-", "attachment count not an integer" },
        { "5-[\"a\"]", "attachment count empty" },
        { "50-[\"a\"]", "zero attachments" },
        { "511-[\"a\"]", "more attachments than the default limit of 10" },
        { "599999999-[\"a\"]", "attachment count far beyond the limit" },
        { "6-1-[\"a\"]", "negative attachment count" },
        { "51-", "binary event without payload" },
        { "51-[]", "binary event with an empty array" },
        { "61-[]", "binary ack without id" },
        { "61-1{}", "binary ack payload not an array" },
        { "0/admin,\"invalid\"", "CONNECT payload a string" },
        { "0[]", "CONNECT payload an array" },
        { "0null", "CONNECT payload null" },
        { "0/admin,1.5", "CONNECT payload a number after an ack id" },
        { "0/admin,true", "CONNECT payload a boolean" },
        { "1/admin,{}", "DISCONNECT with a payload" },
        { "1[]", "DISCONNECT with a payload" },
        { "1\"x\"", "DISCONNECT with a payload" },
        { "2", "EVENT without payload" },
        { "2/admin,", "EVENT without payload" },
        { "2/admin,\"invalid", "EVENT payload invalid JSON" },
        { "2/admin,{}", "EVENT payload an object" },
        { "2[]", "EVENT payload an empty array" },
        { "2[{\"toString\":\"foo\"}]", "EVENT name an object" },
        { "2[true,\"foo\"]", "EVENT name a boolean" },
        { "2[null,\"bar\"]", "EVENT name null" },
        { "2[[\"a\"]]", "EVENT name an array" },
        { "2[\"connect\"]", "reserved event name" },
        { "2[\"connect_error\",1]", "reserved event name" },
        { "2[\"disconnect\",\"123\"]", "reserved event name" },
        { "2[\"disconnecting\"]", "reserved event name" },
        { "2[\"newListener\"]", "reserved event name" },
        { "2[\"removeListener\"]", "reserved event name" },
        { "2[\"\\u0063onnect\"]", "reserved event name written with an escape" },
        { "2[\"a\"", "unterminated JSON" },
        { "2[\"a\"]]", "trailing data after JSON" },
        { "2[\"a\"]x", "trailing data after JSON" },
        { "2[\"a\"][\"b\"]", "two JSON values" },
        { "2[\"a\",]", "trailing comma" },
        { "2['a']", "single quotes" },
        { "2[\"a\",NaN]", "NaN is not JSON" },
        { "2[\"a\"/*c*/]", "comments are not JSON" },
        { "2[\"a\u0001\"]", "control character in a string" },
        { "2/admin[\"a\"]", "namespace without comma swallows the payload" },
        { "3", "ACK without payload" },
        { "3[]", "ACK without id" },
        { "3/admin,13{}", "ACK payload an object" },
        { "313\"x\"", "ACK payload a string" },
        { "313null", "ACK payload null" },
        { "4{\"message\":\"x\"}", "CONNECT_ERROR sent by a client" },
        { "4\"x\"", "CONNECT_ERROR sent by a client" },
        { "442[\"some\",\"data\"", "invalid JSON (reference parser test)" },
        { "21234567890123456[\"a\"]", "ack id longer than 15 digits" },
    };

    [Theory]
    [MemberData(nameof(MalformedFromClient))]
    public void DecodeTextRejectsMalformedPacketsFromAClient(string text, string reason)
    {
        var decoder = Decoder(fromClient: true);

        var error = Record.Exception(() => decoder.DecodeText(Encoding.UTF8.GetBytes(text)));

        Assert.True(error is ProtocolException, $"{reason}: expected ProtocolException, got {error?.GetType().Name ?? "no exception"}");
    }

    [Theory]
    [MemberData(nameof(MalformedFromClient))]
    public void DecodeTextRejectsMalformedPacketsInAnySegmentation(string text, string reason)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var chunk = 1; chunk < bytes.Length; chunk++)
        {
            var decoder = Decoder(fromClient: true);
            var error = Record.Exception(() => decoder.DecodeText(Sequences.Chunked(bytes, chunk)));
            Assert.True(error is ProtocolException, $"{reason} (chunks of {chunk})");
        }
    }

    [Theory]
    [InlineData("4[\"a\"]")]
    [InlineData("4null")]
    [InlineData("41")]
    [InlineData("4")]
    [InlineData("2[]")]
    [InlineData("3[\"a\"]")]
    [InlineData("2[\"connect\"]")]
    [InlineData("2/admin,[\"disconnect\",\"x\"]")]
    [InlineData("51-[\"newListener\",{\"_placeholder\":true,\"num\":0}]")]
    public void DecodeTextRejectsMalformedPacketsFromAServer(string text)
    {
        Assert.Throws<ProtocolException>(() => Decoder(fromClient: false).DecodeText(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void DecodeTextRejectsInvalidUtf8()
    {
        byte[][] inputs =
        [
            [(byte)'2', (byte)'[', (byte)'"', 0xff, (byte)'"', (byte)']'],
            [(byte)'2', (byte)'[', (byte)'"', 0xc3, (byte)'"', (byte)']'],
            [(byte)'2', (byte)'[', (byte)'"', 0xed, 0xa0, 0x80, (byte)'"', (byte)']'],
            [(byte)'0', (byte)'/', 0xff, (byte)','],
        ];

        foreach (var input in inputs)
        {
            Assert.Throws<ProtocolException>(() => Decoder(fromClient: true).DecodeText(input));
        }
    }

    [Fact]
    public void DecodeTextWhileAttachmentsAreExpectedIsAnError()
    {
        var decoder = Decoder(fromClient: true);
        decoder.DecodeText("52-[\"a\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]"u8);
        decoder.DecodeBinary(new byte[] { 1 });

        Assert.Throws<ProtocolException>(() => decoder.DecodeText("2[\"b\"]"u8));
    }

    [Fact]
    public void DecodeBinaryWithoutAPendingBinaryPacketIsAnError()
    {
        var decoder = Decoder(fromClient: true);

        Assert.Throws<ProtocolException>(() => decoder.DecodeBinary(new byte[] { 1 }));
        decoder.DecodeText("2[\"a\"]"u8);
        Assert.Throws<ProtocolException>(() => decoder.DecodeBinary(new byte[] { 1 }));
    }

    [Theory]
    [InlineData("51-[\"a\",{\"_placeholder\":true,\"num\":1}]")]
    [InlineData("51-[\"a\",{\"_placeholder\":true,\"num\":-1}]")]
    [InlineData("51-[\"a\",{\"_placeholder\":true,\"num\":\"0\"}]")]
    [InlineData("51-[\"a\",{\"_placeholder\":true,\"num\":0.5}]")]
    [InlineData("51-[\"a\",{\"_placeholder\":true}]")]
    [InlineData("51-[\"a\",[{\"b\":{\"_placeholder\":true,\"num\":7}}]]")]
    [InlineData("61-1[{\"_placeholder\":true,\"num\":99999999999}]")]
    public void DecodeRejectsAPlaceholderThatDoesNotNameAnAttachment(string text)
    {
        var decoder = Decoder(fromClient: true);

        Assert.Throws<ProtocolException>(() => decoder.DecodeText(Encoding.UTF8.GetBytes(text)));
        Assert.False(decoder.IsAwaitingAttachments);
    }

    [Fact]
    public void DecodeRejectsMoreAttachmentsThanMaxAttachments()
    {
        var options = new SocketDecoderOptions { MaxAttachments = 2 };
        var text = "53-[\"hello\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1},{\"_placeholder\":true,\"num\":2}]"u8.ToArray();

        Assert.Throws<ProtocolException>(() => Decoder(fromClient: true, options).DecodeText(text));
        Assert.Null(Decoder(fromClient: true, new SocketDecoderOptions { MaxAttachments = 3 }).DecodeText(text));
    }

    [Fact]
    public void DecodeRejectsAttachmentsBeyondMaxAttachmentBytesAndForgetsThePendingPacket()
    {
        var options = new SocketDecoderOptions { MaxAttachmentBytes = 10 };
        var header = "52-[\"up\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]"u8.ToArray();
        var fits = Decoder(fromClient: true, options);
        Assert.Null(fits.DecodeText(header));
        Assert.Null(fits.DecodeBinary(new byte[6]));
        Assert.NotNull(fits.DecodeBinary(new byte[4]));

        var tooMuch = Decoder(fromClient: true, options);
        Assert.Null(tooMuch.DecodeText(header));
        Assert.Null(tooMuch.DecodeBinary(new byte[6]));

        Assert.Throws<ProtocolException>(() => tooMuch.DecodeBinary(new byte[5]));
        Assert.False(tooMuch.IsAwaitingAttachments);
    }

    [Fact]
    public void DecodeRejectsTextLongerThanMaxTextLength()
    {
        var options = new SocketDecoderOptions { MaxTextLength = 16 };
        var fits = "2[\"0123456789a\"]"u8.ToArray();
        var tooLong = "2[\"0123456789ab\"]"u8.ToArray();

        Assert.NotNull(Decoder(fromClient: true, options).DecodeText(fits));
        Assert.NotNull(Decoder(fromClient: true, options).DecodeText(Sequences.Chunked(fits, 3)));
        Assert.Throws<ProtocolException>(() => Decoder(fromClient: true, options).DecodeText(tooLong));
        Assert.Throws<ProtocolException>(() => Decoder(fromClient: true, options).DecodeText(Sequences.Chunked(tooLong, 3)));
    }

    [Fact]
    public void DecodeRejectsJsonDeeperThanMaxDepth()
    {
        static byte[] Nested(int depth) =>
            Encoding.UTF8.GetBytes("2[\"a\"," + new string('[', depth - 1) + new string(']', depth - 1) + "]");

        var options = new SocketDecoderOptions { MaxDepth = 8 };

        Assert.NotNull(Decoder(fromClient: true, options).DecodeText(Nested(8)));
        Assert.Throws<ProtocolException>(() => Decoder(fromClient: true, options).DecodeText(Nested(9)));
        Assert.NotNull(Decoder(fromClient: true).DecodeText(Nested(64)));
        Assert.Throws<ProtocolException>(() => Decoder(fromClient: true).DecodeText(Nested(65)));
        Assert.Throws<ProtocolException>(() => Decoder(fromClient: true).DecodeText(Nested(100_000)));
    }

    [Fact]
    public void ClientSideDecoderAcceptsWhatOnlyAServerMaySend()
    {
        AssertPacket(
            Decoder(fromClient: false).DecodeText("4{\"message\":\"x\"}"u8),
            SocketPacketType.ConnectError, "/", -1, "{\"message\":\"x\"}");
    }
}
