using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Bms.Realtime.Protocol;
using Bms.Realtime.Server.Adapters;
using Bms.Realtime.Server.Engine;
using Microsoft.Extensions.Logging;

namespace Bms.Realtime.Server.Namespaces;

/// <summary>
/// A Socket.IO namespace: its middlewares, connection handlers, local sockets and adapter. Broadcast methods return
/// immutable <see cref="BroadcastOperator"/>s. Thread-safe.
/// </summary>
/// <example>
/// <code>
/// var main = io.Of("/main");
/// main.Use(async (socket, ct) => { if (socket.Handshake.GetAuthString("token") is null) throw new ConnectionRejectedException("unauthorized"); });
/// main.OnConnection(socket => socket.On("ping", e => e.AckAsync("pong")));
/// await main.To("store:1").EmitAsync("inventory:updated", payload);
///
/// // Server-to-server: every other node answers with its local socket count.
/// main.OnServerSideEmit((args, ack) => args[0] is "count" &amp;&amp; ack is not null ? ack(main.Sockets.Count) : ValueTask.CompletedTask);
/// var counts = await main.ServerSideEmitWithAckAsync("count", [], TimeSpan.FromSeconds(5));
/// </code>
/// </example>
public sealed partial class RealtimeNamespace
{
    private readonly ConcurrentDictionary<string, RealtimeSocket> _sockets = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private ImmutableArray<Func<RealtimeSocket, CancellationToken, ValueTask>> _middlewares = [];
    private ImmutableArray<Func<RealtimeSocket, ValueTask>> _connectionHandlers = [];
    private ImmutableArray<Func<object?[], Func<object?, ValueTask>?, ValueTask>> _serverSideHandlers = [];
    private long _ackIds;

    internal RealtimeNamespace(RealtimeServer server, string name, ILogger logger)
    {
        Server = server;
        Name = name;
        _logger = logger;
        Adapter = server.AdapterFactory.Create(this);
    }

    /// <summary>The namespace name, e.g. <c>/main</c>.</summary>
    public string Name { get; }

    /// <summary>The server.</summary>
    public RealtimeServer Server { get; }

    /// <summary>The adapter (rooms and fan-out).</summary>
    public IAdapter Adapter { get; }

    /// <summary>The sockets connected to this node, by id.</summary>
    public IReadOnlyDictionary<string, RealtimeSocket> Sockets => _sockets;

    /// <summary>Adds a middleware, run in order for each connection; throw <see cref="ConnectionRejectedException"/> to refuse.</summary>
    public RealtimeNamespace Use(Func<RealtimeSocket, CancellationToken, ValueTask> middleware)
    {
        ArgumentNullException.ThrowIfNull(middleware);
        ImmutableInterlocked.Update(ref _middlewares, list => list.Add(middleware));
        return this;
    }

    /// <summary>Adds a handler run for every socket that joins (after the CONNECT reply was sent).</summary>
    public RealtimeNamespace OnConnection(Func<RealtimeSocket, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ImmutableInterlocked.Update(ref _connectionHandlers, list => list.Add(handler));
        return this;
    }

    /// <summary>Adds a synchronous connection handler.</summary>
    public RealtimeNamespace OnConnection(Action<RealtimeSocket> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return OnConnection(socket =>
        {
            handler(socket);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>
    /// Adds a handler for events sent by other server nodes with <see cref="ServerSideEmitAsync(string, object?[])"/> or
    /// <see cref="ServerSideEmitWithAckAsync"/>. It receives <c>[eventName, ...args]</c> (the arguments as
    /// <see cref="JsonElement"/>s). A handler that must answer uses the overload with an acknowledgement callback.
    /// </summary>
    public RealtimeNamespace OnServerSideEmit(Func<object?[], ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return OnServerSideEmit((args, _) => handler(args));
    }

    /// <summary>
    /// Adds a handler for events sent by other server nodes that can answer them, as socket.io passes a callback as the
    /// last argument: the second parameter is the acknowledgement callback when the sender waits for answers
    /// (<see cref="ServerSideEmitWithAckAsync"/>, Node's <c>serverSideEmitWithAck</c>), null otherwise. Call it at most
    /// once with one value (serialized as JSON); the first call among all handlers answers for this node and later calls
    /// are ignored. It may be called after the handler returned. A node that never calls it makes the sender time out.
    /// Handlers run in registration order on the adapter's receive loop: start long work without awaiting it there.
    /// </summary>
    public RealtimeNamespace OnServerSideEmit(Func<object?[], Func<object?, ValueTask>?, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ImmutableInterlocked.Update(ref _serverSideHandlers, list => list.Add(handler));
        return this;
    }

    /// <summary>Targets a room.</summary>
    public BroadcastOperator To(string room) => new BroadcastOperator(this).To(room);

    /// <summary>Targets several rooms.</summary>
    public BroadcastOperator To(IEnumerable<string> rooms) => new BroadcastOperator(this).To(rooms);

    /// <summary>Same as <see cref="To(string)"/>.</summary>
    public BroadcastOperator In(string room) => To(room);

    /// <summary>Excludes a room.</summary>
    public BroadcastOperator Except(string room) => new BroadcastOperator(this).Except(room);

    /// <summary>This node only.</summary>
    public BroadcastOperator Local => new BroadcastOperator(this).Local;

    /// <summary>Volatile broadcast.</summary>
    public BroadcastOperator Volatile => new BroadcastOperator(this).Volatile;

    /// <summary>Sets compression.</summary>
    public BroadcastOperator Compress(bool compress) => new BroadcastOperator(this).Compress(compress);

    /// <summary>Sets the ack timeout.</summary>
    public BroadcastOperator Timeout(TimeSpan timeout) => new BroadcastOperator(this).Timeout(timeout);

    /// <summary>Emits to every socket of the namespace.</summary>
    public ValueTask EmitAsync(string eventName, params object?[] args) => new BroadcastOperator(this).EmitAsync(eventName, args);

    /// <inheritdoc cref="BroadcastOperator.EmitAsync(string, object?[], CancellationToken)"/>
    public ValueTask EmitAsync(string eventName, object?[] args, CancellationToken cancellationToken) =>
        new BroadcastOperator(this).EmitAsync(eventName, args, cancellationToken);

    /// <summary>Snapshots of every socket (cluster-wide).</summary>
    public ValueTask<IReadOnlyList<SocketDescriptor>> FetchSocketsAsync(CancellationToken cancellationToken = default) =>
        new BroadcastOperator(this).FetchSocketsAsync(cancellationToken);

    /// <summary>Makes every socket join <paramref name="rooms"/>.</summary>
    public ValueTask SocketsJoinAsync(params string[] rooms) => new BroadcastOperator(this).SocketsJoinAsync(rooms);

    /// <inheritdoc cref="BroadcastOperator.SocketsJoinAsync(IReadOnlyCollection{string}, CancellationToken)"/>
    public ValueTask SocketsJoinAsync(IReadOnlyCollection<string> rooms, CancellationToken cancellationToken) =>
        new BroadcastOperator(this).SocketsJoinAsync(rooms, cancellationToken);

    /// <summary>Makes every socket leave <paramref name="rooms"/>.</summary>
    public ValueTask SocketsLeaveAsync(params string[] rooms) => new BroadcastOperator(this).SocketsLeaveAsync(rooms);

    /// <inheritdoc cref="BroadcastOperator.SocketsLeaveAsync(IReadOnlyCollection{string}, CancellationToken)"/>
    public ValueTask SocketsLeaveAsync(IReadOnlyCollection<string> rooms, CancellationToken cancellationToken) =>
        new BroadcastOperator(this).SocketsLeaveAsync(rooms, cancellationToken);

    /// <summary>Disconnects every socket.</summary>
    /// <param name="close">Also closes each socket's whole underlying connection.</param>
    /// <param name="cancellationToken">Cancels the request (with a cluster adapter, the publish to the other nodes).</param>
    public ValueTask DisconnectSocketsAsync(bool close = false, CancellationToken cancellationToken = default) =>
        new BroadcastOperator(this).DisconnectSocketsAsync(close, cancellationToken);

    /// <summary>Sends an event to the other nodes of the cluster.</summary>
    public ValueTask ServerSideEmitAsync(string eventName, params object?[] args) => Adapter.ServerSideEmitAsync(eventName, args);

    /// <summary>Sends an event to the other nodes of the cluster.</summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="args">The arguments (serialized as JSON).</param>
    /// <param name="cancellationToken">Cancels the publish.</param>
    public ValueTask ServerSideEmitAsync(string eventName, object?[] args, CancellationToken cancellationToken) =>
        Adapter.ServerSideEmitAsync(eventName, args, cancellationToken);

    /// <summary>
    /// Sends an event to the other nodes of the cluster and returns their answers, one per other node (the value each
    /// node's <see cref="OnServerSideEmit(Func{object?[], Func{object?, ValueTask}?, ValueTask})"/> handler acknowledged
    /// with, as JSON; <c>null</c> for a node that acknowledged without a value), in arrival order. Socket.io's
    /// <c>serverSideEmitWithAck</c>: Node.js nodes of a mixed cluster answer too. On a single node (or while the cluster
    /// adapter cannot reach its broker) the list is empty at once.
    /// </summary>
    /// <param name="eventName">The event name.</param>
    /// <param name="args">The arguments (serialized as JSON).</param>
    /// <param name="timeout">How long to wait for every other node; positive, or <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="ServerSideEmitTimeoutException">Not every other node answered within <paramref name="timeout"/>; carries the answers that arrived.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired (or the adapter was disposed) first.</exception>
    public ValueTask<IReadOnlyList<JsonElement>> ServerSideEmitWithAckAsync(string eventName, object?[] args, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        ArgumentNullException.ThrowIfNull(args);
        if (timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        }

        return Adapter.ServerSideEmitWithAckAsync(eventName, args, timeout, cancellationToken);
    }

    /// <summary>Looks up a local socket.</summary>
    public bool TryGetSocket(string id, [NotNullWhen(true)] out RealtimeSocket? socket) => _sockets.TryGetValue(id, out socket);

    /// <summary>Delivers an event received from another node to the server-side handlers.</summary>
    public ValueTask OnServerSideEmitReceivedAsync(object?[] args) => OnServerSideEmitReceivedAsync(args, null);

    /// <summary>
    /// Delivers an event received from another node to the server-side handlers. Called by cluster adapters.
    /// <paramref name="ack"/> (null when the sender does not wait for answers) sends this node's answer; the handlers
    /// get a wrapper that forwards only the first call.
    /// </summary>
    public async ValueTask OnServerSideEmitReceivedAsync(object?[] args, Func<object?, ValueTask>? ack)
    {
        ArgumentNullException.ThrowIfNull(args);
        var answered = 0;

        // socket.io: "only one argument is expected" and only the first call of the callback answers.
        Func<object?, ValueTask>? once = ack is null
            ? null
            : value => Interlocked.Exchange(ref answered, 1) == 0 ? ack(value) : ValueTask.CompletedTask;
        foreach (var handler in _serverSideHandlers)
        {
            try
            {
                await handler(args, once).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.HandlerFailed(_logger, Name, ex);
            }
        }
    }

    internal long NextAckId() => Interlocked.Increment(ref _ackIds) - 1;

    internal void AddSocket(RealtimeSocket socket) => _sockets[socket.Id] = socket;

    internal void RemoveSocket(RealtimeSocket socket) => _sockets.TryRemove(new KeyValuePair<string, RealtimeSocket>(socket.Id, socket));

    internal async ValueTask RunMiddlewaresAsync(RealtimeSocket socket, EngineSession session)
    {
        using var timeout = new CancellationTokenSource(Server.Options.ConnectTimeout);
        foreach (var middleware in _middlewares)
        {
            await middleware(socket, timeout.Token).ConfigureAwait(false);
        }
    }

    internal void RunConnectionHandlers(RealtimeSocket socket)
    {
        foreach (var handler in _connectionHandlers)
        {
            ValueTask pending;
            try
            {
                pending = handler(socket);
            }
            catch (Exception ex)
            {
                Log.HandlerFailed(_logger, Name, ex);
                continue;
            }

            if (!pending.IsCompletedSuccessfully)
            {
                _ = ObserveAsync(pending);
            }
        }

        socket.Activate();
    }

    private async Task ObserveAsync(ValueTask pending)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(_logger, Name, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "A handler of namespace {Namespace} failed")]
        public static partial void HandlerFailed(ILogger logger, string @namespace, Exception exception);
    }
}
