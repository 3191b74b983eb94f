using System.Buffers;

namespace Bms.Realtime.Protocol;

/// <summary>
/// Parses and writes single Engine.IO v4 packets as carried by one WebSocket frame.
/// Stateless and thread-safe.
/// </summary>
public static class EnginePacketParser
{
    /// <summary>Parses a WebSocket text frame (<c>&lt;type digit&gt;&lt;data&gt;</c>).</summary>
    /// <exception cref="ProtocolException">The frame is empty or its type digit is unknown.</exception>
    public static EnginePacket ParseText(ReadOnlyMemory<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            throw new ProtocolException("Empty Engine.IO packet");
        }

        return EnginePacket.Text(ParseType(utf8.Span[0]), utf8[1..]);
    }

    /// <summary>Parses a WebSocket binary frame: in EIO4 the whole frame is the message, no type byte.</summary>
    public static EnginePacket ParseBinary(ReadOnlyMemory<byte> data) => EnginePacket.Binary(data);

    /// <summary>Maps a type digit to <see cref="EnginePacketType"/>.</summary>
    /// <exception cref="ProtocolException">Not one of <c>0</c>…<c>6</c>.</exception>
    public static EnginePacketType ParseType(byte digit)
    {
        var value = digit - (byte)'0';
        if ((uint)value > (uint)EnginePacketType.Noop)
        {
            throw new ProtocolException($"Unknown Engine.IO packet type 0x{digit:x2}");
        }

        return (EnginePacketType)value;
    }

    /// <summary>Writes a text packet (type digit then data) as one WebSocket text frame body.</summary>
    public static void WriteText(IBufferWriter<byte> writer, EnginePacketType type, ReadOnlySpan<byte> utf8Data)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var span = writer.GetSpan(utf8Data.Length + 1);
        span[0] = (byte)('0' + (int)type);
        utf8Data.CopyTo(span[1..]);
        writer.Advance(utf8Data.Length + 1);
    }

    /// <summary>Returns a new array holding a text packet (type digit then data).</summary>
    public static byte[] ToTextFrame(EnginePacketType type, ReadOnlySpan<byte> utf8Data)
    {
        var frame = new byte[utf8Data.Length + 1];
        frame[0] = (byte)('0' + (int)type);
        utf8Data.CopyTo(frame.AsSpan(1));
        return frame;
    }
}
