namespace Bms.Contracts;

/// <summary>
/// One Socket.IO event of the contract: its name, which way it travels, the namespaces it exists on and the types of
/// its argument and acknowledgement. Read by code generators and tests; see <see cref="RealtimeEventCatalog"/>.
/// </summary>
/// <param name="Name">The event name.</param>
/// <param name="FromServer">True for server → client events, false for client → server events.</param>
/// <param name="Namespaces">The namespaces the event exists on.</param>
/// <param name="Argument">The type of the single argument (server events: <see cref="EventEnvelope{T}"/>); null for none.</param>
/// <param name="Ack">The type of the acknowledgement argument; null when the event takes no acknowledgement.</param>
public sealed record RealtimeEventDescriptor(string Name, bool FromServer, IReadOnlyList<string> Namespaces, Type? Argument, Type? Ack);
