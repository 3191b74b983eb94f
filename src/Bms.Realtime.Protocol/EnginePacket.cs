namespace Bms.Realtime.Protocol;

/// <summary>
/// One Engine.IO packet. <see cref="Data"/> holds the UTF-8 text after the type digit for text packets,
/// or the raw bytes of a binary message. The memory is owned by the caller of the parser: copy it if it must
/// outlive the buffer it came from.
/// </summary>
public readonly struct EnginePacket
{
    /// <summary>Creates a packet.</summary>
    public EnginePacket(EnginePacketType type, ReadOnlyMemory<byte> data, bool isBinary)
    {
        Type = type;
        Data = data;
        IsBinary = isBinary;
    }

    /// <summary>The packet type.</summary>
    public EnginePacketType Type { get; }

    /// <summary>Text payload (UTF-8, without the type digit) or binary payload.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>True for a binary message (a WebSocket binary frame or a <c>b</c>-prefixed polling record).</summary>
    public bool IsBinary { get; }

    /// <summary>Creates a text packet of the given type with UTF-8 data.</summary>
    public static EnginePacket Text(EnginePacketType type, ReadOnlyMemory<byte> utf8Data = default) => new(type, utf8Data, false);

    /// <summary>Creates a binary message packet.</summary>
    public static EnginePacket Binary(ReadOnlyMemory<byte> data) => new(EnginePacketType.Message, data, true);

    /// <inheritdoc />
    public override string ToString() =>
        IsBinary ? $"{Type} binary({Data.Length})" : $"{Type} {System.Text.Encoding.UTF8.GetString(Data.Span)}";
}
