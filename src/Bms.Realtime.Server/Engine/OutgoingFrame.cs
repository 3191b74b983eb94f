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

    /// <summary>Text frame bytes (type digit first) or binary message bytes.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>True for a binary message.</summary>
    public bool IsBinary { get; }

    /// <summary>Whether per-message deflate may be applied (when negotiated).</summary>
    public bool Compress { get; }
}
