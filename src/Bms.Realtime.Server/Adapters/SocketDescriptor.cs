using System.Collections.Immutable;
using Bms.Realtime.Server.Namespaces;

namespace Bms.Realtime.Server.Adapters;

/// <summary>
/// A snapshot of a socket, local or on another node (as returned by <c>FetchSocketsAsync</c>). Immutable.
/// </summary>
/// <param name="Id">The socket id.</param>
/// <param name="Namespace">The namespace name.</param>
/// <param name="Rooms">Its rooms.</param>
/// <param name="Data">A copy of its data.</param>
/// <param name="Handshake">Its handshake (null for a remote socket whose node did not send it).</param>
/// <param name="Transport">Its current transport name.</param>
/// <param name="ConnectedAt">When it joined the namespace.</param>
/// <param name="NodeId">The node that holds it.</param>
public sealed record SocketDescriptor(
    string Id,
    string Namespace,
    ImmutableArray<string> Rooms,
    IReadOnlyDictionary<string, object?> Data,
    SocketHandshake? Handshake,
    string Transport,
    DateTimeOffset ConnectedAt,
    string NodeId);
