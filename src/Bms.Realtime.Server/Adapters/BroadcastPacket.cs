using System.Text.Json;
using Bms.Realtime.Protocol;

namespace Bms.Realtime.Server.Adapters;

/// <summary>
/// A broadcast as a per-socket delivery filter (<see cref="Namespaces.RealtimeSocket.DeliveryFilter"/>) sees it: the
/// encoded packet every recipient gets, with its event name and arguments decoded on first use — at most once per
/// broadcast, however many recipients filter, and not at all when none does. Not thread-safe: one instance serves
/// one delivery loop.
/// </summary>
public sealed class BroadcastPacket
{
    private static readonly SocketDecoderOptions DecoderOptions = new() { FromClient = false, MaxTextLength = int.MaxValue };

    private SocketPacket? _decoded;
    private bool _decodeAttempted;

    /// <summary>Wraps <paramref name="packet"/> (not copied, not decoded yet).</summary>
    public BroadcastPacket(EncodedPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        Packet = packet;
    }

    /// <summary>The encoded packet, exactly as written to every recipient.</summary>
    public EncodedPacket Packet { get; }

    /// <summary>The event name, or null when the packet is not an event (or cannot be decoded).</summary>
    public string? EventName => Decode()?.EventName;

    /// <summary>The event's arguments after the name (the broadcast's own; a recovery offset, when added, is the last one).</summary>
    public EventArguments Arguments => Decode()?.Arguments ?? default;

    /// <summary>The first argument as JSON (<see cref="JsonValueKind.Undefined"/> when there is none).</summary>
    public JsonElement FirstArgument
    {
        get
        {
            var args = Arguments;
            return args.Count > 0 ? args.GetRaw(0) : default;
        }
    }

    private SocketPacket? Decode()
    {
        if (_decodeAttempted)
        {
            return _decoded;
        }

        _decodeAttempted = true;
        try
        {
            var decoder = new SocketPacketDecoder(DecoderOptions);
            var packet = decoder.DecodeText(Packet.Text);
            foreach (var attachment in Packet.Attachments)
            {
                packet ??= decoder.DecodeBinary(attachment);
            }

            _decoded = packet is { IsEvent: true } ? packet : null;
        }
        catch (ProtocolException)
        {
            // Our own encoder wrote it; should it ever not decode, filters see no event rather than failing the broadcast.
            _decoded = null;
        }

        return _decoded;
    }
}
