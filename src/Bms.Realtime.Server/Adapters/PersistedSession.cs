using System.Collections.Immutable;

namespace Bms.Realtime.Server.Adapters;

/// <summary>A disconnected socket's state kept for connection-state recovery.</summary>
/// <param name="Sid">The socket id.</param>
/// <param name="Pid">The private session id the client presents to recover.</param>
/// <param name="Rooms">The rooms it was in.</param>
/// <param name="Data">A copy of its <c>Data</c>.</param>
/// <param name="DisconnectedAt">When it disconnected.</param>
public sealed record PersistedSession(string Sid, string Pid, ImmutableArray<string> Rooms, IReadOnlyDictionary<string, object?> Data, DateTimeOffset DisconnectedAt);
