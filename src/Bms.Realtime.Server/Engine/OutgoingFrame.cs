namespace Bms.Realtime.Server.Engine;

/// <summary>
/// One Engine.IO packet ready to be written: the text frame including its type digit, or a binary message.
/// The bytes are shared by every recipient of a broadcast and must not be mutated.
/// </summary>
public readonly struct OutgoingFrame
{
    /// <summary>Creates a frame.</summary>
    public OutgoingFrame(ReadOnlyMemory<byte> data, bool isBinary, bool compress = true)
    {
        Data = data;
        IsBinary = isBinary;
        Compress = compress;
    }

    /// <summary>A WebSocket control frame (ping, pong) for the direct path's own framing.</summary>
    internal OutgoingFrame(ReadOnlyMemory<byte> data, byte opcode)
    {
        Data = data;
        Opcode = opcode;
    }

    /// <summary>Text frame bytes (type digit first) or binary message bytes.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>True for a binary message.</summary>
    public bool IsBinary { get; }

    /// <summary>Whether per-message deflate may be applied (when negotiated).</summary>
    public bool Compress { get; }

    /// <summary>The RFC 6455 opcode of a control frame; 0 for an Engine.IO message (text or binary by <see cref="IsBinary"/>).</summary>
    internal byte Opcode { get; }
}
