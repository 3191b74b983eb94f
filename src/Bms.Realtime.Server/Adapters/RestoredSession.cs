using Bms.Realtime.Protocol;

namespace Bms.Realtime.Server.Adapters;

/// <summary>A recovered session and the packets it missed, in emission order.</summary>
/// <param name="Session">The persisted state.</param>
/// <param name="MissedPackets">Encoded packets to replay before the CONNECT reply.</param>
public sealed record RestoredSession(PersistedSession Session, IReadOnlyList<EncodedPacket> MissedPackets);
