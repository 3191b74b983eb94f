using System.Buffers;
using System.Buffers.Text;

namespace Bms.Realtime.Protocol;

/// <summary>
/// Parses and writes single Engine.IO v4 packets as carried by one WebSocket frame.
/// Stateless and thread-safe.
/// </summary>
public static class EnginePacketParser
{
    /// <summary>
    /// Parses a WebSocket text frame (<c>&lt;type digit&gt;&lt;data&gt;</c>). A frame starting with <c>b</c> is a binary
    /// message in base64 (what a client with <c>forceBase64</c> sends; the reference parser accepts it on any transport)
    /// and is decoded into a new array.
    /// </summary>
    /// <exception cref="ProtocolException">The frame is empty, its type digit is unknown, or its base64 is invalid.</exception>
    public static EnginePacket ParseText(ReadOnlyMemory<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            throw new ProtocolException("Empty Engine.IO packet");
        }

        if (utf8.Span[0] == (byte)'b')
        {
            return EnginePacket.Binary(DecodeBase64(utf8.Span[1..]));
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

    private static ReadOnlyMemory<byte> DecodeBase64(ReadOnlySpan<byte> encoded)
    {
        var decoded = new byte[Base64.GetMaxDecodedFromUtf8Length(encoded.Length)];
        if (Base64.DecodeFromUtf8(encoded, decoded, out _, out var written) != OperationStatus.Done)
        {
            throw new ProtocolException("Invalid base64 in binary packet");
        }

        return decoded.AsMemory(0, written);
    }
}
