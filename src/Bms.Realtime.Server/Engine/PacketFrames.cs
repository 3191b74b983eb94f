using Bms.Realtime.Protocol;

namespace Bms.Realtime.Server.Engine;

/// <summary>Turns an encoded Socket.IO packet into Engine.IO frames: one text message, then its attachments.</summary>
public static class PacketFrames
{
    /// <summary>Builds the frames once; the result can be written to any number of sessions.</summary>
    public static OutgoingFrame[] Create(EncodedPacket packet, bool compress = true)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var frames = new OutgoingFrame[1 + packet.Attachments.Count];
        var text = new byte[packet.Text.Length + 1];
        text[0] = (byte)'0' + (byte)EnginePacketType.Message;
        packet.Text.CopyTo(text, 1);
        frames[0] = new OutgoingFrame(text, false, compress);
        for (var i = 0; i < packet.Attachments.Count; i++)
        {
            frames[i + 1] = new OutgoingFrame(packet.Attachments[i], true, compress);
        }

        return frames;
    }
}
