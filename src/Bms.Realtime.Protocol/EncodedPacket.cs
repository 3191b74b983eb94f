namespace Bms.Realtime.Protocol;

/// <summary>
/// A Socket.IO packet encoded for the wire: the text part (UTF-8, without the Engine.IO message prefix) followed by
/// zero or more binary attachments, each sent as its own Engine.IO binary message. Immutable; a broadcast encodes once
/// and hands the same instance to every recipient.
/// </summary>
public sealed class EncodedPacket
{
    private static readonly IReadOnlyList<ReadOnlyMemory<byte>> NoAttachments = [];

    /// <summary>Creates an encoded packet.</summary>
    public EncodedPacket(byte[] text, IReadOnlyList<ReadOnlyMemory<byte>>? attachments)
    {
        ArgumentNullException.ThrowIfNull(text);
        Text = text;
        Attachments = attachments ?? NoAttachments;
    }

    /// <summary>The UTF-8 text of the packet, e.g. <c>2["hello",1]</c>.</summary>
    public byte[] Text { get; }

    /// <summary>The binary attachments, in placeholder order.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Attachments { get; }

    /// <summary>The text as a string (for logs and tests).</summary>
    public override string ToString() => System.Text.Encoding.UTF8.GetString(Text);
}
