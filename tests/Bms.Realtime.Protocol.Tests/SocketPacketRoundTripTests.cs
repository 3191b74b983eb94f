using System.Buffers;
using System.Text.Json;

namespace Bms.Realtime.Protocol.Tests;

public sealed class SocketPacketRoundTripTests
{
    public static TheoryData<string, string, object?[], long> Events => new()
    {
        { "/", "foo", [], -1 },
        { "/admin", "bar", ["x", 1, true, null], 7 },
        { "/", "hey", ["Jude"], 0 },
        { "/a/b", "nested", [new { A = new[] { 1, 2 }, B = new { C = "d" } }], 123456789012 },
        { "/", "bin", [new byte[] { 1, 2, 3 }], -1 },
        { "/admin", "bins", [new byte[] { 1 }, new { inner = new byte[] { 2 } }, new object[] { new byte[] { 3 }, "s" }], 9 },
        { "/", "empty-bin", [Array.Empty<byte>()], -1 },
        { "/ü", "ünïcode€", ["€𝄞"], -1 },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void EncodedEventDecodesToTheSameEvent(string nsp, string name, object?[] args, long ackId)
    {
        var encoded = SocketPacketEncoder.EncodeEvent(nsp, name, args, ackId < 0 ? null : ackId);

        var packet = Decode(encoded, fromClient: true);

        Assert.True(packet.IsEvent);
        Assert.Equal(encoded.Attachments.Count > 0 ? SocketPacketType.BinaryEvent : SocketPacketType.Event, packet.Type);
        Assert.Equal(nsp, packet.Namespace);
        Assert.Equal(name, packet.EventName);
        Assert.Equal(ackId < 0 ? null : ackId, packet.Id);
        Assert.Equal(args.Length, packet.Arguments.Count);
        AssertSameJson(args, packet.Arguments.ToArray());
    }

    [Theory]
    [MemberData(nameof(Events))]
    public void EncodedAckDecodesToTheSameAck(string nsp, string name, object?[] args, long ackId)
    {
        var id = Math.Max(ackId, 0);
        object?[] all = [name, .. args];
        var encoded = SocketPacketEncoder.EncodeAck(nsp, id, all);

        var packet = Decode(encoded, fromClient: false);

        Assert.True(packet.IsAck);
        Assert.Equal(nsp, packet.Namespace);
        Assert.Equal(id, packet.Id);
        Assert.Null(packet.EventName);
        AssertSameJson(all, packet.Arguments.ToArray());
    }

    [Theory]
    [MemberData(nameof(Events))]
    public void DecodedArgumentsReEncodeToTheSameBytes(string nsp, string name, object?[] args, long ackId)
    {
        var encoded = SocketPacketEncoder.EncodeEvent(nsp, name, args, ackId < 0 ? null : ackId);
        var packet = Decode(encoded, fromClient: true);

        var again = SocketPacketEncoder.EncodeEvent(packet.Namespace, packet.EventName!, packet.Arguments.ToArray(), packet.Id);

        Assert.Equal(encoded.ToString(), again.ToString());
        Assert.Equal(encoded.Attachments.Select(a => a.ToArray()), again.Attachments.Select(a => a.ToArray()));
    }

    [Theory]
    [InlineData("/", null)]
    [InlineData("/admin", null)]
    [InlineData("/admin", "{\"token\":\"123\"}")]
    public void EncodedConnectDecodesToTheSameConnect(string nsp, string? auth)
    {
        var data = auth is null ? null : (object)JsonDocument.Parse(auth).RootElement.Clone();

        var packet = Decode(SocketPacketEncoder.EncodeConnect(nsp, data), fromClient: true);

        Assert.Equal(SocketPacketType.Connect, packet.Type);
        Assert.Equal(nsp, packet.Namespace);
        Assert.Equal(auth, packet.Data?.GetRawText());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/custom")]
    public void EncodedConnectErrorAndDisconnectDecodeToTheSamePackets(string nsp)
    {
        var error = Decode(SocketPacketEncoder.EncodeConnectError(nsp, "no", new { code = 1 }), fromClient: false);
        var disconnect = Decode(SocketPacketEncoder.EncodeDisconnect(nsp), fromClient: true);

        Assert.Equal(SocketPacketType.ConnectError, error.Type);
        Assert.Equal(nsp, error.Namespace);
        Assert.Equal("{\"message\":\"no\",\"data\":{\"code\":1}}", error.Data?.GetRawText());
        Assert.Equal(SocketPacketType.Disconnect, disconnect.Type);
        Assert.Equal(nsp, disconnect.Namespace);
    }

    [Fact]
    public void EncodedBinaryEventSurvivesAPollingPayloadRoundTrip()
    {
        var encoded = SocketPacketEncoder.EncodeEvent("/admin", "file", [new byte[] { 0xde, 0xad }, new byte[] { 0xbe, 0xef }], 3);
        var writer = new ArrayBufferWriter<byte>();
        EnginePayload.Encode(writer, [
            EnginePacket.Text(EnginePacketType.Message, encoded.Text),
            .. encoded.Attachments.Select(EnginePacket.Binary),
        ]);

        var decoder = SocketPacketDecoderTests.Decoder(fromClient: true);
        SocketPacket? packet = null;
        foreach (var engine in EnginePayload.Decode(writer.WrittenMemory))
        {
            packet = engine.IsBinary ? decoder.DecodeBinary(engine.Data) : decoder.DecodeText(engine.Data.Span);
        }

        Assert.NotNull(packet);
        Assert.Equal(new byte[] { 0xde, 0xad }, packet.Arguments.Get<byte[]>(0));
        Assert.Equal(new byte[] { 0xbe, 0xef }, packet.Arguments.Get<byte[]>(1));
    }

    internal static SocketPacket Decode(EncodedPacket encoded, bool fromClient)
    {
        var decoder = SocketPacketDecoderTests.Decoder(fromClient);
        var packet = decoder.DecodeText(encoded.Text);
        foreach (var attachment in encoded.Attachments)
        {
            Assert.Null(packet);
            packet = decoder.DecodeBinary(attachment);
        }

        Assert.NotNull(packet);
        return packet;
    }

    // Compares through a placeholder-free serialization: byte[] becomes base64 on both sides.
    private static void AssertSameJson(object?[] expected, object?[] actual) =>
        Assert.Equal(JsonSerializer.Serialize(expected, SocketJson.Options), JsonSerializer.Serialize(actual, SocketJson.Options));
}
