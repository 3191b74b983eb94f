using System.Buffers;
using System.Text;

namespace Bms.Realtime.Protocol.Tests;

public sealed class EnginePayloadTests
{
    // Payloads from docs/engine.io-protocol/v4-current.md and the sample session of v5-current.md. Expected packets
    // are written as "<type digit><text>" for text packets and "bin:<hex>" for binary ones.
    public static TheoryData<string, string[]> SpecPayloads => new()
    {
        { "4hello\u001e2\u001e4world", ["4hello", "2", "4world"] },
        { "4hello\u001ebAQIDBA==", ["4hello", "bin:01020304"] },
        { "42[\"hello\"]\u001e42[\"world\"]", ["42[\"hello\"]", "42[\"world\"]"] },
        { "0{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":5000,\"maxPayload\":1000000}", ["0{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":5000,\"maxPayload\":1000000}"] },
        { "40", ["40"] },
        { "40{\"sid\":\"wZX3oN0bSVIhsaknAAAI\"}", ["40{\"sid\":\"wZX3oN0bSVIhsaknAAAI\"}"] },
        { "42[\"hey\",\"Jude\"]", ["42[\"hey\",\"Jude\"]"] },
        { "6", ["6"] },
        { "6\u001e1", ["6", "1"] },
        { "1", ["1"] },
        { "451-[\"baz\",{\"_placeholder\":true,\"num\":0}]\u001ebAQIDBA==", ["451-[\"baz\",{\"_placeholder\":true,\"num\":0}]", "bin:01020304"] },
        { "452-/admin,[\"baz\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]\u001ebAQI=\u001ebAwQ=", ["452-/admin,[\"baz\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]", "bin:0102", "bin:0304"] },
        { "b", ["bin:"] },
        { "4€\u001e4ü", ["4€", "4ü"] },
    };

    [Theory]
    [MemberData(nameof(SpecPayloads))]
    public void DecodeSplitsThePayloadAtEverySeparator(string payload, string[] expected)
    {
        var packets = EnginePayload.Decode(Encoding.UTF8.GetBytes(payload));

        Assert.Equal(expected, packets.Select(Describe));
    }

    [Theory]
    [MemberData(nameof(SpecPayloads))]
    public void EncodeWritesTheSpecPayload(string payload, string[] expected)
    {
        var writer = new ArrayBufferWriter<byte>();

        EnginePayload.Encode(writer, expected.Select(Parse));

        Assert.Equal(payload, Encoding.UTF8.GetString(writer.WrittenSpan));
    }

    [Theory]
    [MemberData(nameof(SpecPayloads))]
    public void TryReadPacketGivesTheSamePacketsForAnySegmentation(string payload, string[] expected)
    {
        var bytes = Encoding.UTF8.GetBytes(payload);
        for (var chunk = 1; chunk <= bytes.Length; chunk++)
        {
            var reader = new SequenceReader<byte>(Sequences.Chunked(bytes, chunk));
            var packets = new List<string>();
            while (EnginePayload.TryReadPacket(ref reader, isFinalBlock: true, out var packet))
            {
                packets.Add(Describe(packet));
            }

            Assert.Equal(expected, packets);
        }
    }

    [Theory]
    [MemberData(nameof(SpecPayloads))]
    public void TryReadPacketWithPartialInputReturnsFalseUntilTheRecordIsComplete(string payload, string[] expected)
    {
        // Simulates a body arriving a few bytes at a time: everything before the last separator can be read
        // without the final block; the last record only once the input is final.
        var bytes = Encoding.UTF8.GetBytes(payload);
        for (var available = 0; available <= bytes.Length; available++)
        {
            var sequence = Sequences.Chunked(bytes[..available], 3);
            var reader = new SequenceReader<byte>(sequence);
            var packets = new List<string>();
            while (EnginePayload.TryReadPacket(ref reader, isFinalBlock: false, out var packet))
            {
                packets.Add(Describe(packet));
            }

            var complete = bytes.AsSpan(0, available).Count((byte)EnginePayload.Separator);
            Assert.Equal(expected.Take(complete), packets);
            Assert.Equal(available - bytes.AsSpan(0, available).LastIndexOf(EnginePayload.Separator) - 1, reader.Remaining);
        }
    }

    [Fact]
    public void TryReadPacketOnAnIncompleteRecordLeavesTheReaderWhereItWas()
    {
        var reader = new SequenceReader<byte>(Sequences.SplitAt(Encoding.UTF8.GetBytes("4hel"), 2));

        Assert.False(EnginePayload.TryReadPacket(ref reader, isFinalBlock: false, out _));
        Assert.Equal(0, reader.Consumed);
        Assert.True(EnginePayload.TryReadPacket(ref reader, isFinalBlock: true, out var packet));
        Assert.Equal("4hel", Describe(packet));
        Assert.False(EnginePayload.TryReadPacket(ref reader, isFinalBlock: true, out _));
    }

    [Fact]
    public void TryReadPacketDecodesABase64RecordSplitAcrossSegments()
    {
        var bytes = Encoding.UTF8.GetBytes("bAQIDBA==\u001e4x");
        var reader = new SequenceReader<byte>(Sequences.SplitAt(bytes, 1, 2, 5, 9));

        Assert.True(EnginePayload.TryReadPacket(ref reader, isFinalBlock: false, out var packet));
        Assert.True(packet.IsBinary);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, packet.Data.ToArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("\u001e")]
    [InlineData("4a\u001e\u001e4b")]
    [InlineData("\u001e4a")]
    [InlineData("4a\u001e")]
    [InlineData("4a\u001e2\u001e")]
    [InlineData("7")]
    [InlineData("4a\u001e9")]
    [InlineData("x")]
    [InlineData("bAQID!A==")]
    [InlineData("bAQIDBA=")]
    [InlineData("bAQIDB")]
    [InlineData("b====")]
    public void DecodeRejectsMalformedPayloads(string payload)
    {
        Assert.Throws<ProtocolException>(() => EnginePayload.Decode(Sequences.Bytes(payload)));
    }

    [Fact]
    public void DecodeRejectsMorePacketsThanAllowed()
    {
        var payload = Encoding.UTF8.GetBytes("2\u001e2\u001e2");

        Assert.Equal(3, EnginePayload.Decode(payload, maxPackets: 3).Count);
        Assert.Throws<ProtocolException>(() => EnginePayload.Decode(payload, maxPackets: 2));
    }

    [Fact]
    public void WritePacketEncodesLargeBinaryAsBase64AfterASeparator()
    {
        var data = Enumerable.Range(0, 70_000).Select(i => (byte)i).ToArray();
        var writer = new ArrayBufferWriter<byte>();

        EnginePayload.WritePacket(writer, EnginePacket.Text(EnginePacketType.Message, "x"u8.ToArray()), first: true);
        EnginePayload.WritePacket(writer, EnginePacket.Binary(data), first: false);

        var expected = "4x\u001eb" + Convert.ToBase64String(data);
        Assert.Equal(expected, Encoding.UTF8.GetString(writer.WrittenSpan));
        Assert.Equal(data, EnginePayload.Decode(writer.WrittenMemory)[1].Data.ToArray());
    }

    internal static string Describe(EnginePacket packet) =>
        packet.IsBinary
            ? "bin:" + Convert.ToHexString(packet.Data.Span).ToLowerInvariant()
            : ((int)packet.Type).ToString(System.Globalization.CultureInfo.InvariantCulture) + Encoding.UTF8.GetString(packet.Data.Span);

    private static EnginePacket Parse(string description) =>
        description.StartsWith("bin:", StringComparison.Ordinal)
            ? EnginePacket.Binary(Convert.FromHexString(description[4..]))
            : EnginePacketParser.ParseText(Encoding.UTF8.GetBytes(description));
}
