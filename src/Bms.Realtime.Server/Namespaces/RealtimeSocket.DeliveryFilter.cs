using Bms.Realtime.Server.Adapters;

namespace Bms.Realtime.Server.Namespaces;

public sealed partial class RealtimeSocket
{
    private Func<BroadcastPacket, bool>? _deliveryFilter;

    /// <summary>
    /// An optional per-socket predicate consulted by every broadcast that would reach this socket (local or forwarded
    /// by a cluster adapter, evaluated on this node): when it returns false the socket is skipped. It can only narrow
    /// what the broadcast's rooms already chose, never add a socket. The packet is still encoded once; the predicate
    /// sees it through <see cref="BroadcastPacket"/>, decoded lazily once per broadcast. Direct emits to this socket
    /// and packets replayed by connection-state recovery are not filtered. Null (the default) costs one field read per
    /// recipient. The predicate runs on the broadcasting thread: it must be fast, thread-safe and must not throw.
    /// </summary>
    public Func<BroadcastPacket, bool>? DeliveryFilter
    {
        get => Volatile.Read(ref _deliveryFilter);
        set => Volatile.Write(ref _deliveryFilter, value);
    }
}
