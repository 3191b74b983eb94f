using System.Text.Json;
using Bms.Realtime.Protocol;
using Bms.Realtime.Server.Namespaces;

namespace Bms.Realtime.Server.Adapters;

/// <summary>
/// The fan-out seam of a namespace: room membership, broadcasts and cluster-wide socket operations.
/// <see cref="InMemoryAdapter"/> serves one node; a cluster adapter (Redis) also forwards to other nodes.
/// Implementations are thread-safe. Room membership calls are synchronous and local; the rest may cross the network.
/// </summary>
public interface IAdapter : IAsyncDisposable
{
    /// <summary>Starts the adapter (subscriptions etc.). Called once when the namespace is created.</summary>
    ValueTask InitAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a local socket to rooms.</summary>
    void AddAll(string sid, IEnumerable<string> rooms);

    /// <summary>Removes a local socket from a room.</summary>
    void Delete(string sid, string room);

    /// <summary>Removes a local socket from every room.</summary>
    void DeleteAll(string sid);

    /// <summary>The rooms of a local socket (empty when unknown).</summary>
    IReadOnlySet<string> GetRooms(string sid);

    /// <summary>The ids of local sockets in any of <paramref name="rooms"/> (all when empty).</summary>
    IReadOnlyCollection<string> GetSockets(IReadOnlySet<string> rooms);

    /// <summary>The names of every room that has local sockets.</summary>
    IReadOnlyCollection<string> GetAllRooms();

    /// <summary>
    /// Emits an event to the recipients chosen by <paramref name="options"/>. The packet is encoded once and the same
    /// bytes are written to every recipient. With recovery on, non-volatile broadcasts carry an offset.
    /// </summary>
    ValueTask BroadcastAsync(string eventName, object?[] args, BroadcastOptions options, CancellationToken cancellationToken = default);

    /// <summary>
    /// Emits an event that asks every recipient for an acknowledgement. <paramref name="onClientCount"/> is called once
    /// with the number of recipients (per node); <paramref name="onAck"/> with each answer.
    /// </summary>
    ValueTask BroadcastWithAckAsync(string eventName, object?[] args, BroadcastOptions options, Action<int> onClientCount, Action<EventArguments> onAck, CancellationToken cancellationToken = default);

    /// <summary>Snapshots of the matching sockets (cluster-wide unless local).</summary>
    ValueTask<IReadOnlyList<SocketDescriptor>> FetchSocketsAsync(BroadcastOptions options, CancellationToken cancellationToken = default);

    /// <summary>Makes the matching sockets join <paramref name="rooms"/>.</summary>
    ValueTask AddSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms, CancellationToken cancellationToken = default);

    /// <summary>Makes the matching sockets leave <paramref name="rooms"/>.</summary>
    ValueTask DelSocketsAsync(BroadcastOptions options, IReadOnlyCollection<string> rooms, CancellationToken cancellationToken = default);

    /// <summary>Disconnects the matching sockets (closing their connections when <paramref name="close"/>).</summary>
    ValueTask DisconnectSocketsAsync(BroadcastOptions options, bool close, CancellationToken cancellationToken = default);

    /// <summary>Sends an event to the other server nodes of the cluster (no-op on one node).</summary>
    ValueTask ServerSideEmitAsync(string eventName, object?[] args, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends an event to the other server nodes of the cluster and waits for one acknowledgement from each of them
    /// (the first argument their handler acknowledged with, as JSON). Completes with an empty list at once on one node.
    /// Throws <see cref="ServerSideEmitTimeoutException"/> (carrying the answers that did arrive) when not every other
    /// node answered within <paramref name="timeout"/>, and <see cref="OperationCanceledException"/> when
    /// <paramref name="cancellationToken"/> fires first. Answers arriving after that are ignored.
    /// </summary>
    ValueTask<IReadOnlyList<JsonElement>> ServerSideEmitWithAckAsync(string eventName, object?[] args, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>The number of server nodes (1 for the in-memory adapter).</summary>
    ValueTask<int> ServerCountAsync(CancellationToken cancellationToken = default);

    /// <summary>Keeps a disconnected socket's session for recovery.</summary>
    ValueTask PersistSessionAsync(PersistedSession session, CancellationToken cancellationToken = default);

    /// <summary>Restores a session and the packets missed since <paramref name="offset"/>; null when it cannot be recovered.</summary>
    ValueTask<RestoredSession?> RestoreSessionAsync(string pid, string offset, CancellationToken cancellationToken = default);
}

/// <summary>Creates the adapter of each namespace. Register one in DI to replace the in-memory default.</summary>
public interface IAdapterFactory
{
    /// <summary>Creates the adapter of <paramref name="namespace"/>.</summary>
    IAdapter Create(RealtimeNamespace @namespace);
}
