using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
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
/// </code>
/// </example>
public sealed partial class RealtimeNamespace
{
    private readonly ConcurrentDictionary<string, RealtimeSocket> _sockets = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private ImmutableArray<Func<RealtimeSocket, CancellationToken, ValueTask>> _middlewares = [];
    private ImmutableArray<Func<RealtimeSocket, ValueTask>> _connectionHandlers = [];
    private ImmutableArray<Func<object?[], ValueTask>> _serverSideHandlers = [];
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

    /// <summary>Adds a handler for events sent by other server nodes with <see cref="ServerSideEmitAsync"/>.</summary>
    public RealtimeNamespace OnServerSideEmit(Func<object?[], ValueTask> handler)
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

    /// <summary>Snapshots of every socket (cluster-wide).</summary>
    public ValueTask<IReadOnlyList<SocketDescriptor>> FetchSocketsAsync(CancellationToken cancellationToken = default) =>
        new BroadcastOperator(this).FetchSocketsAsync(cancellationToken);

    /// <summary>Makes every socket join <paramref name="rooms"/>.</summary>
    public ValueTask SocketsJoinAsync(params string[] rooms) => new BroadcastOperator(this).SocketsJoinAsync(rooms);

    /// <summary>Makes every socket leave <paramref name="rooms"/>.</summary>
    public ValueTask SocketsLeaveAsync(params string[] rooms) => new BroadcastOperator(this).SocketsLeaveAsync(rooms);

    /// <summary>Disconnects every socket.</summary>
    public ValueTask DisconnectSocketsAsync(bool close = false) => new BroadcastOperator(this).DisconnectSocketsAsync(close);

    /// <summary>Sends an event to the other nodes of the cluster.</summary>
    public ValueTask ServerSideEmitAsync(string eventName, params object?[] args) => Adapter.ServerSideEmitAsync(eventName, args);

    /// <summary>Looks up a local socket.</summary>
    public bool TryGetSocket(string id, [NotNullWhen(true)] out RealtimeSocket? socket) => _sockets.TryGetValue(id, out socket);

    /// <summary>Delivers an event received from another node to the server-side handlers.</summary>
    public async ValueTask OnServerSideEmitReceivedAsync(object?[] args)
    {
        foreach (var handler in _serverSideHandlers)
        {
            try
            {
                await handler(args).ConfigureAwait(false);
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
