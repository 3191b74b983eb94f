using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Bms.Realtime.Client.Engine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bms.Realtime.Client;

/// <summary>
/// A Socket.IO v5 / Engine.IO v4 client (socket.io-client's <c>Manager</c>): one engine connection per server URL,
/// shared by every <see cref="NamespaceSocket"/> obtained from <see cref="Of"/>. Reconnects with backoff and jitter,
/// enforces the heartbeat, exposes state, health and statistics. Works against the official Node socket.io 4.x server
/// and <c>Bms.Realtime.Server</c>. All members are thread-safe; events are raised in order on a background task.
/// </summary>
/// <example>
/// <code>
/// await using var client = WebSocketClientFactory.Create(new WebSocketClientOptions
/// {
///     Url = new Uri("http://127.0.0.1:3001"),
///     AccessTokenProvider = async ct => await auth.GetAccessTokenAsync(ct),
/// });
/// var main = client.Of("/main");
/// using var sub = main.On&lt;InventoryUpdated&gt;("inventory:updated", e => Console.WriteLine(e?.Data));
/// await main.ConnectAsync();
/// await main.JoinRoomAsync("store:1");
/// var echo = await main.EmitWithAckAsync&lt;string&gt;("echo", TimeSpan.FromSeconds(5), "hi");
/// </code>
/// </example>
public sealed partial class WebSocketClient : IAsyncDisposable, IEngineListener
{
    private readonly WebSocketClientOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly IRetryPolicy _retryPolicy;
    private readonly EngineCounters _counters = new();
    private readonly ConcurrentDictionary<string, NamespaceSocket> _sockets = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private readonly List<(ConnectionState[] States, TaskCompletionSource<ConnectionState> Tcs)> _stateWaiters = [];
    private readonly List<Channel<ConnectionStateChangedEventArgs>> _stateWatchers = [];
    private readonly Channel<Action> _notifications = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _notifyLoop;
    private ConnectionState _state;
    private ClientDisconnectReason _lastReason;
    private Exception? _lastError;
    private ConnectedEngine? _session;
    private bool _sessionOpen;
    private CancellationTokenSource? _loopCts;
    private Task? _loop;
    private int _reconnectAttempts;
    private long _reconnectCount;
    private long _droppedEmits;
    private DateTimeOffset? _connectedSince;
    private long _latencyTicks = -1;
    private ITimer? _latencyProbe;
    private int _disposed;

    /// <summary>Creates a client. Nothing connects until <see cref="ConnectAsync"/> or a socket's <c>ConnectAsync</c>.</summary>
    /// <param name="options">The options (copied; later changes have no effect).</param>
    /// <param name="loggerFactory">Logging; none by default.</param>
    /// <param name="timeProvider">Time source for backoff, heartbeat and timeouts; <see cref="TimeProvider.System"/> by default.</param>
    /// <param name="httpHandler">
    /// Handler for HTTP long-polling requests (owned by the client); a <see cref="SocketsHttpHandler"/> by default, the
    /// browser's fetch handler when running in WebAssembly.
    /// </param>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    public WebSocketClient(
        WebSocketClientOptions options,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        HttpMessageHandler? httpHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<WebSocketClient>();
        _time = timeProvider ?? TimeProvider.System;
        _http = new HttpClient(httpHandler ?? CreateDefaultHandler())
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
        _retryPolicy = _options.RetryPolicy ?? new ExponentialBackoffRetryPolicy(
            _options.ReconnectionDelay,
            _options.ReconnectionDelayMax,
            _options.RandomizationFactor,
            _options.ReconnectionAttempts);
        _notifyLoop = Task.Run(NotifyLoopAsync);
    }

    /// <summary>Raised after every state transition, in order.</summary>
    public event EventHandler<ConnectionStateChangedEventArgs>? StateChanged;

    /// <summary>Raised when a reconnection attempt is scheduled (before its delay).</summary>
    public event EventHandler<ReconnectAttemptEventArgs>? ReconnectAttempt;

    /// <summary>Raised after a successful reconnection; the argument is the number of attempts it took.</summary>
    public event EventHandler<int>? Reconnected;

    /// <summary>Raised when the retry policy gave up; the state is then <see cref="ConnectionState.Error"/>.</summary>
    public event EventHandler<Exception?>? ReconnectFailed;

    /// <summary>Raised when the server refuses the credentials; the refused socket (or the client) stops retrying.</summary>
    public event EventHandler<AuthenticationFailedEventArgs>? AuthenticationFailed;

    /// <summary>The options in use (a copy; do not modify).</summary>
    public WebSocketClientOptions Options => _options;

    /// <summary>The current state.</summary>
    public ConnectionState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>Why the last connection (or namespace socket) closed; <see cref="ClientDisconnectReason.None"/> before any.</summary>
    public ClientDisconnectReason LastDisconnectReason
    {
        get
        {
            lock (_gate)
            {
                return _lastReason;
            }
        }
    }

    /// <summary>The last connection error (failed attempt, transport error, refusal), or null.</summary>
    public Exception? LastError
    {
        get
        {
            lock (_gate)
            {
                return _lastError;
            }
        }
    }

    /// <summary>The transport in use; null when not connected.</summary>
    public TransportKind? Transport => CurrentOpenSession?.Engine.Transport;

    /// <summary>The engine session id; null when not connected.</summary>
    public string? EngineSid => CurrentOpenSession?.Engine.Sid;

    /// <summary>Successful reconnects since creation.</summary>
    public long ReconnectCount => Interlocked.Read(ref _reconnectCount);

    /// <summary>The health derived from state, heartbeat, latency, send buffers and transport.</summary>
    public ConnectionHealth Health => GetStatistics().Health;

    /// <summary>The namespace sockets created so far.</summary>
    public IReadOnlyCollection<NamespaceSocket> Sockets => [.. _sockets.Values];

    internal TimeProvider Time => _time;

    internal ILoggerFactory LoggerFactory => _loggerFactory;

    internal ConnectedEngine? CurrentOpenSession
    {
        get
        {
            lock (_gate)
            {
                return _sessionOpen ? _session : null;
            }
        }
    }

    /// <summary>The socket for namespace <paramref name="namespace"/> (created once, then cached). Does not connect.</summary>
    /// <param name="namespace">The namespace, e.g. <c>/main</c>; a missing leading slash is added.</param>
    public NamespaceSocket Of(string @namespace)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(@namespace);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        var name = @namespace.StartsWith('/') ? @namespace : "/" + @namespace;
        return _sockets.GetOrAdd(name, static (n, client) => new NamespaceSocket(client, n), this);
    }

    /// <summary>Same as <see cref="Of"/> (socket.io-client's <c>manager.socket(nsp)</c>).</summary>
    public NamespaceSocket Socket(string @namespace) => Of(@namespace);

    /// <summary>
    /// Opens the engine connection (if not already open or opening) and waits until it is connected. Namespace sockets
    /// that were connected before reconnect by themselves. If the first attempt fails the client keeps retrying in the
    /// background (as socket.io-client); this call then waits until a retry succeeds, the policy gives up
    /// (<see cref="InvalidOperationException"/>) or <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        EnsureStarted();
        var state = await WaitForAnyStateAsync([ConnectionState.Connected, ConnectionState.Error, ConnectionState.Disconnected], cancellationToken).ConfigureAwait(false);
        if (state != ConnectionState.Connected)
        {
            throw new InvalidOperationException($"Connection failed ({LastDisconnectReason}): {LastError?.Message}", LastError);
        }
    }

    /// <summary>
    /// Disconnects every namespace socket, closes the engine connection and stops reconnecting
    /// (reason <see cref="ClientDisconnectReason.IoClientDisconnect"/>). Sockets stay registered and reconnect on the next
    /// <see cref="ConnectAsync"/>. Buffered emits are kept.
    /// </summary>
    public async Task DisconnectAsync(CancellationToken cancellationToken = default)
    {
        CancellationTokenSource? cts;
        Task? loop;
        ConnectedEngine? session;
        lock (_gate)
        {
            cts = _loopCts;
            loop = _loop;
            session = _session;
            _loopCts = null;
            _loop = null;
        }

        if (session is not null)
        {
            foreach (var socket in _sockets.Values)
            {
                socket.SendDisconnectIfConnected(session);
            }

            await session.Engine.CloseAsync(ClientDisconnectReason.IoClientDisconnect, null, sendClose: true).ConfigureAwait(false);
        }

        if (cts is not null)
        {
            await cts.CancelAsync().ConfigureAwait(false);
        }

        if (loop is not null)
        {
            await loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        cts?.Dispose();
        SetState(ConnectionState.Disconnected, ClientDisconnectReason.IoClientDisconnect, null);
    }

    /// <summary>
    /// Drops the current connection and connects again at once (no backoff delay), or starts connecting when stopped.
    /// Waits until connected, like <see cref="ConnectAsync"/>.
    /// </summary>
    public async Task ReconnectAsync(CancellationToken cancellationToken = default)
    {
        ConnectedEngine? session;
        lock (_gate)
        {
            session = _loop is null ? null : _session;
        }

        if (session is not null)
        {
            // Registered before the close, so a reconnect faster than this thread is not missed.
            var leaving = WaitForAnyStateAsync([ConnectionState.Reconnecting, ConnectionState.Error, ConnectionState.Disconnected], cancellationToken);
            await session.Engine.CloseAsync(ClientDisconnectReason.ForcedReconnect, null, sendClose: true).ConfigureAwait(false);
            await leaving.ConfigureAwait(false);
        }

        await ConnectAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Completes when <see cref="State"/> equals <paramref name="state"/> (at once if it already does).</summary>
    public Task WaitForStateAsync(ConnectionState state, CancellationToken cancellationToken = default) =>
        WaitForAnyStateAsync([state], cancellationToken);

    /// <summary>Completes with the state when <see cref="State"/> is one of <paramref name="states"/>.</summary>
    public Task<ConnectionState> WaitForAnyStateAsync(ConnectionState[] states, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(states);
        TaskCompletionSource<ConnectionState> tcs;
        lock (_gate)
        {
            if (states.Contains(_state))
            {
                return Task.FromResult(_state);
            }

            tcs = new TaskCompletionSource<ConnectionState>(TaskCreationOptions.RunContinuationsAsynchronously);
            _stateWaiters.Add((states, tcs));
        }

        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() =>
            {
                lock (_gate)
                {
                    _stateWaiters.RemoveAll(w => w.Tcs == tcs);
                }

                tcs.TrySetCanceled(cancellationToken);
            });
            _ = tcs.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return tcs.Task;
    }

    /// <summary>
    /// Streams every state transition from now on until <paramref name="cancellationToken"/> fires or the client is disposed.
    /// </summary>
    public async IAsyncEnumerable<ConnectionStateChangedEventArgs> WatchStateAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateUnbounded<ConnectionStateChangedEventArgs>(new UnboundedChannelOptions { SingleReader = true });
        lock (_gate)
        {
            _stateWatchers.Add(channel);
        }

        try
        {
            await foreach (var change in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return change;
            }
        }
        finally
        {
            lock (_gate)
            {
                _stateWatchers.Remove(channel);
            }
        }
    }

    /// <summary>A snapshot of the statistics, with <see cref="ConnectionStatistics.Health"/> computed from them.</summary>
    public ConnectionStatistics GetStatistics()
    {
        ConnectionState state;
        ConnectedEngine? session;
        DateTimeOffset? since;
        int attempts;
        lock (_gate)
        {
            state = _state;
            session = _sessionOpen ? _session : null;
            since = _connectedSince;
            attempts = _reconnectAttempts;
        }

        var latencyTicks = Interlocked.Read(ref _latencyTicks);
        var lastPacket = _counters.LastPacketUtcTicks;
        var buffered = 0;
        foreach (var socket in _sockets.Values)
        {
            buffered += socket.BufferedEmitCount;
        }

        var stats = new ConnectionStatistics
        {
            State = state,
            Transport = session?.Engine.Transport,
            EngineSid = session?.Engine.Sid,
            Latency = latencyTicks < 0 ? null : TimeSpan.FromTicks(latencyTicks),
            LastPacketReceivedAt = lastPacket == 0 ? null : new DateTimeOffset(lastPacket, TimeSpan.Zero),
            LastPingAt = session?.Engine.LastPingAt,
            ConnectedSince = state == ConnectionState.Connected ? since : null,
            ReconnectCount = Interlocked.Read(ref _reconnectCount),
            ReconnectAttempts = attempts,
            PacketsReceived = _counters.PacketsIn,
            PacketsSent = _counters.PacketsOut,
            BytesReceived = _counters.BytesIn,
            BytesSent = _counters.BytesOut,
            BufferedEmits = buffered,
            DroppedEmits = Interlocked.Read(ref _droppedEmits),
        };
        return stats with { Health = ComputeHealth(stats, session) };
    }

    /// <summary>Disconnects (without waiting for the server) and releases everything. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await DisconnectAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Disposal does not wait forever for a stuck connection loop.
        }

        foreach (var socket in _sockets.Values)
        {
            await socket.DisposeAsync().ConfigureAwait(false);
        }

        _latencyProbe?.Dispose();
        _notifications.Writer.TryComplete();
        lock (_gate)
        {
            foreach (var watcher in _stateWatchers)
            {
                watcher.Writer.TryComplete();
            }

            foreach (var (_, tcs) in _stateWaiters)
            {
                tcs.TrySetException(new ObjectDisposedException(nameof(WebSocketClient)));
            }

            _stateWaiters.Clear();
        }

        await _notifyLoop.ConfigureAwait(false);
        _http.Dispose();
    }

    internal void RecordLatency(TimeSpan latency) => Interlocked.Exchange(ref _latencyTicks, latency.Ticks);

    internal void RecordDropped() => Interlocked.Increment(ref _droppedEmits);

    internal void Notify(Action action) => _notifications.Writer.TryWrite(action);

    internal void EnsureStarted()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        lock (_gate)
        {
            if (_loop is not null)
            {
                return;
            }

            var owner = new CancellationTokenSource();
            _loopCts = owner;
            SetStateLocked(ConnectionState.Connecting, ClientDisconnectReason.None, null);
            _loop = Task.Run(() => RunGuardedAsync(owner), CancellationToken.None);
        }
    }

    private ConnectionHealth ComputeHealth(ConnectionStatistics stats, ConnectedEngine? session)
    {
        if (stats.State != ConnectionState.Connected || session is null)
        {
            return ConnectionHealth.Unhealthy;
        }

        var now = _time.GetUtcNow();
        var engine = session.Engine;
        var lastBeat = stats.LastPingAt ?? stats.ConnectedSince ?? now;

        // A ping is due every pingInterval; one that is half a pingTimeout late means the link is struggling.
        var heartbeatLate = now - lastBeat > engine.PingInterval + (engine.PingTimeout / 2);
        var slow = stats.Latency is { } latency && latency > _options.DegradedLatency;
        var stuckOnPolling = stats.Transport == TransportKind.Polling && _options.Transports.Contains(TransportKind.WebSocket)
            && stats.ConnectedSince is { } since && now - since > TimeSpan.FromSeconds(10);
        return heartbeatLate || slow || stats.BufferedEmits > 0 || stuckOnPolling ? ConnectionHealth.Degraded : ConnectionHealth.Healthy;
    }

    private async Task NotifyLoopAsync()
    {
        await foreach (var action in _notifications.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                action();
            }
            catch (Exception ex)
            {
                Log.EventHandlerFailed(_logger, ex);
            }
        }
    }

    // SocketsHttpHandler does not exist in the browser; there HttpClientHandler is the runtime's fetch handler.
    private static HttpMessageHandler CreateDefaultHandler() => OperatingSystem.IsBrowser()
        ? new HttpClientHandler()
        : new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All };
}
