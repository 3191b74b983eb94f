namespace Bms.Realtime.Protocol;

/// <summary>Limits applied by <see cref="SocketPacketDecoder"/>.</summary>
public sealed class SocketDecoderOptions
{
    /// <summary>Maximum binary attachments per packet. Default 10 (as the reference parser).</summary>
    public int MaxAttachments { get; set; } = 10;

    /// <summary>Maximum length in bytes of a packet's text part. Default 1,000,000 (the Engine.IO maxPayload default).</summary>
    public int MaxTextLength { get; set; } = 1_000_000;

    /// <summary>
    /// Maximum total bytes of the binary attachments of one packet, so of the one unfinished binary packet a decoder
    /// holds (it reconstructs one packet at a time). Exceeding it throws <see cref="ProtocolException"/> as soon as the
    /// attachment that crosses it arrives. Default 10,000,000 (the reference limits: 10 attachments of maxPayload).
    /// </summary>
    public long MaxAttachmentBytes { get; set; } = 10_000_000;

    /// <summary>Maximum JSON nesting depth. Default 64.</summary>
    public int MaxDepth { get; set; } = 64;

    /// <summary>
    /// When true (server side) the decoder applies the rules for packets a client may send: CONNECT_ERROR is refused.
    /// When false (client side) packets are validated as sent by a server. Reserved event names (<c>connect</c>,
    /// <c>disconnect</c>, …) are refused either way, as by the reference parser. Default true.
    /// </summary>
    public bool FromClient { get; set; } = true;
}
