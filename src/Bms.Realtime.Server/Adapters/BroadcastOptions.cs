using System.Collections.Immutable;

namespace Bms.Realtime.Server.Adapters;

/// <summary>
/// Who receives a broadcast: sockets in any of <see cref="Rooms"/> (every socket of the namespace when empty),
/// minus sockets in any of <see cref="Except"/>. Immutable.
/// </summary>
public sealed record BroadcastOptions(ImmutableHashSet<string> Rooms, ImmutableHashSet<string> Except, BroadcastFlags Flags)
{
    /// <summary>Every socket, default flags.</summary>
    public static BroadcastOptions All { get; } = new(ImmutableHashSet<string>.Empty, ImmutableHashSet<string>.Empty, new BroadcastFlags());
}
