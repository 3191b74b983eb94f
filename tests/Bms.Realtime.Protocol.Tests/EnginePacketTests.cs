namespace Bms.Realtime.Protocol.Tests;

public sealed class EnginePacketTests
{
    [Fact]
    public void TextAndBinaryFactoriesSetTypeDataAndKind()
    {
        var text = EnginePacket.Text(EnginePacketType.Ping, "probe"u8.ToArray());
        var binary = EnginePacket.Binary(new byte[] { 1, 2 });

        Assert.Equal(EnginePacketType.Ping, text.Type);
        Assert.False(text.IsBinary);
        Assert.Equal("Ping probe", text.ToString());
        Assert.Equal(EnginePacketType.Message, binary.Type);
        Assert.True(binary.IsBinary);
        Assert.Equal("Message binary(2)", binary.ToString());
    }

    [Fact]
    public void EncodedPacketKeepsTextAndAttachmentsAndRefusesNullText()
    {
        var packet = new EncodedPacket("2[\"a\"]"u8.ToArray(), null);

        Assert.Equal("2[\"a\"]", packet.ToString());
        Assert.Empty(packet.Attachments);
        Assert.Throws<ArgumentNullException>(() => new EncodedPacket(null!, null));
    }

    [Fact]
    public void ProtocolExceptionKeepsItsCause()
    {
        var cause = new FormatException("bad");

        var error = new ProtocolException("Invalid payload", cause);

        Assert.Equal("Invalid payload", error.Message);
        Assert.Same(cause, error.InnerException);
    }
}
