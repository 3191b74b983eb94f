using System.Diagnostics;

namespace Bms.Realtime.Server.Adapters;

/// <summary>
/// One broadcast as this node delivered it to its local sockets, handed to
/// <see cref="Namespaces.RealtimeServer.BroadcastObserver"/>. Created only while an observer is set. The packet is the
/// encoded one every recipient got (decoded lazily on first use of <see cref="BroadcastPacket.EventName"/> or
/// <see cref="BroadcastPacket.FirstArgument"/>). Not thread-safe; valid during the observer call only.
/// </summary>
public sealed class BroadcastDelivery
{
    internal BroadcastDelivery(string @namespace, BroadcastPacket packet, BroadcastOptions options, int recipients, long startedTimestamp, long completedTimestamp)
    {
        Namespace = @namespace;
        Packet = packet;
        Options = options;
        Recipients = recipients;
        StartedTimestamp = startedTimestamp;
        CompletedTimestamp = completedTimestamp;
    }

    /// <summary>The namespace the broadcast went to.</summary>
    public string Namespace { get; }

    /// <summary>The packet, encoded once for every recipient.</summary>
    public BroadcastPacket Packet { get; }

    /// <summary>Target rooms (all sockets when empty), excluded rooms and flags.</summary>
    public BroadcastOptions Options { get; }

    /// <summary>How many local sockets the packet was queued for (after delivery filters and volatile drops).</summary>
    public int Recipients { get; }

    /// <summary>The encoded size in bytes: the packet's text plus its binary attachments.</summary>
    public int PayloadBytes
    {
        get
        {
            var bytes = Packet.Packet.Text.Length;
            foreach (var attachment in Packet.Packet.Attachments)
            {
                bytes += attachment.Length;
            }

            return bytes;
        }
    }

    /// <summary><see cref="Stopwatch.GetTimestamp"/> when local delivery started (before the room lookup).</summary>
    public long StartedTimestamp { get; }

    /// <summary><see cref="Stopwatch.GetTimestamp"/> right after the last local socket's send was queued.</summary>
    public long CompletedTimestamp { get; }
}
