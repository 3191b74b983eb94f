using System.Buffers.Binary;

namespace Bms.Realtime.Server.DirectWebSocketPath;

/// <summary>
/// RFC 6455 constants and the server's frame header writer (server frames are never masked, so a frame is a 2-, 4- or
/// 10-byte header before the payload). Stateless and thread-safe.
/// </summary>
internal static class WebSocketFraming
{
    /// <summary>The longest header of an unmasked frame.</summary>
    public const int MaxServerHeader = 10;

    public const byte Continuation = 0x0;
    public const byte Text = 0x1;
    public const byte Binary = 0x2;
    public const byte Close = 0x8;
    public const byte Ping = 0x9;
    public const byte Pong = 0xA;

    public const ushort NormalClosure = 1000;
    public const ushort ProtocolError = 1002;
    public const ushort InvalidPayloadData = 1007;
    public const ushort MessageTooBig = 1009;

    /// <summary>Writes a final-fragment header for <paramref name="length"/> payload bytes; returns its size.</summary>
    public static int WriteHeader(Span<byte> destination, byte opcode, int length)
    {
        destination[0] = (byte)(0x80 | opcode);
        if (length <= 125)
        {
            destination[1] = (byte)length;
            return 2;
        }

        if (length <= ushort.MaxValue)
        {
            destination[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)length);
            return 4;
        }

        destination[1] = 127;
        BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)length);
        return 10;
    }

    /// <summary>The size of the header <see cref="WriteHeader"/> writes for <paramref name="length"/> payload bytes.</summary>
    public static int HeaderSize(int length) => length <= 125 ? 2 : length <= ushort.MaxValue ? 4 : 10;

    /// <summary>
    /// Whether a status code may appear in a received close frame (RFC 6455 7.4: 1004, 1005, 1006 and 1015 are
    /// reserved and never sent; 1016–2999 are reserved for future extensions; 3000–4999 are for libraries and
    /// applications).
    /// </summary>
    public static bool IsValidReceivedCloseStatus(int status) =>
        status is (>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999);

    /// <summary>XORs <paramref name="data"/> with the masking key, starting at key byte <paramref name="offset"/> (0–3).</summary>
    public static void Unmask(Span<byte> data, uint mask, int offset)
    {
        // The key as it appears on the wire (network order), rotated so that data[0] pairs with key byte `offset`.
        Span<byte> key = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(key, mask);
        var i = 0;
        if (offset != 0)
        {
            for (; i < data.Length && ((offset + i) & 3) != 0; i++)
            {
                data[i] ^= key[(offset + i) & 3];
            }
        }

        // Now aligned to key byte 0: XOR 8 bytes at a time.
        var rest = data[i..];
        var word = BinaryPrimitives.ReadUInt32LittleEndian(key);
        var wide = ((ulong)word << 32) | word;
        var j = 0;
        for (; j + 8 <= rest.Length; j += 8)
        {
            var chunk = rest.Slice(j, 8);
            BinaryPrimitives.WriteUInt64LittleEndian(chunk, BinaryPrimitives.ReadUInt64LittleEndian(chunk) ^ wide);
        }

        for (; j < rest.Length; j++)
        {
            rest[j] ^= key[j & 3];
        }
    }
}
