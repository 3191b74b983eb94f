using System.Buffers;
using System.Buffers.Text;

namespace Bms.Realtime.Protocol;

/// <summary>
/// The HTTP long-polling payload of Engine.IO v4: packets joined by the record separator <c>0x1e</c>;
/// a binary message inside a payload is <c>b</c> followed by its base64 encoding. Stateless and thread-safe.
/// </summary>
public static class EnginePayload
{
    /// <summary>EIO4: the record separator between packets of one polling payload.</summary>
    public const byte Separator = 0x1e;

    /// <summary>
    /// Reads the next packet from <paramref name="reader"/>. Returns false when the remaining input holds no complete
    /// record yet (no separator and <paramref name="isFinalBlock"/> is false) or nothing is left.
    /// Binary records are decoded into a new array; text records point into the input.
    /// </summary>
    /// <exception cref="ProtocolException">
    /// An empty record (including a separator that ends the final block), an unknown type or invalid base64.
    /// </exception>
    public static bool TryReadPacket(ref SequenceReader<byte> reader, bool isFinalBlock, out EnginePacket packet)
    {
        packet = default;
        if (reader.End)
        {
            return false;
        }

        ReadOnlySequence<byte> record;
        if (reader.TryReadTo(out record, Separator, advancePastDelimiter: true))
        {
            if (isFinalBlock && reader.End)
            {
                // The input ends with a separator: its last record is empty (the reference server closes the
                // session with "parse error" on it).
                throw new ProtocolException("Empty packet in payload");
            }
        }
        else
        {
            if (!isFinalBlock)
            {
                return false;
            }

            record = reader.UnreadSequence;
            reader.AdvanceToEnd();
        }

        packet = ParseRecord(record.IsSingleSegment ? record.First : record.ToArray());
        return true;
    }

    /// <summary>Decodes a complete payload into its packets.</summary>
    /// <param name="payload">The whole HTTP body.</param>
    /// <param name="maxPackets">Upper bound on the number of packets accepted.</param>
    /// <exception cref="ProtocolException">Malformed payload or more than <paramref name="maxPackets"/> packets.</exception>
    public static List<EnginePacket> Decode(ReadOnlyMemory<byte> payload, int maxPackets = int.MaxValue)
    {
        var packets = new List<EnginePacket>();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(payload));
        while (TryReadPacket(ref reader, isFinalBlock: true, out var packet))
        {
            if (packets.Count == maxPackets)
            {
                throw new ProtocolException("Too many packets in payload");
            }

            packets.Add(packet);
        }

        if (packets.Count == 0)
        {
            throw new ProtocolException("Empty payload");
        }

        return packets;
    }

    /// <summary>Writes one packet as a payload record, preceded by a separator when <paramref name="first"/> is false.</summary>
    public static void WritePacket(IBufferWriter<byte> writer, in EnginePacket packet, bool first)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (!first)
        {
            writer.GetSpan(1)[0] = Separator;
            writer.Advance(1);
        }

        if (packet.IsBinary)
        {
            var length = Base64.GetMaxEncodedToUtf8Length(packet.Data.Length) + 1;
            var span = writer.GetSpan(length);
            span[0] = (byte)'b';
            Base64.EncodeToUtf8(packet.Data.Span, span[1..], out _, out var written);
            writer.Advance(written + 1);
        }
        else
        {
            EnginePacketParser.WriteText(writer, packet.Type, packet.Data.Span);
        }
    }

    /// <summary>Writes all packets as one payload.</summary>
    public static void Encode(IBufferWriter<byte> writer, IEnumerable<EnginePacket> packets)
    {
        ArgumentNullException.ThrowIfNull(packets);
        var first = true;
        foreach (var packet in packets)
        {
            WritePacket(writer, packet, first);
            first = false;
        }
    }

    private static EnginePacket ParseRecord(ReadOnlyMemory<byte> record)
    {
        if (record.IsEmpty)
        {
            throw new ProtocolException("Empty packet in payload");
        }

        // EIO4: "b" + base64 is a binary message; ParseText decodes it.
        return EnginePacketParser.ParseText(record);
    }
}
