using System.Text.Json;
using System.Threading.Channels;
using Bms.Realtime.Client.Engine;
using Bms.Realtime.Protocol;
using Microsoft.Extensions.Logging;

namespace Bms.Realtime.Client;

/// <summary>
/// A Socket.IO namespace socket (socket.io-client's <c>Socket</c>) multiplexed over its <see cref="WebSocketClient"/>'s
/// engine connection. Obtain it with <see cref="WebSocketClient.Of"/>. Handlers run one at a time in arrival order on a
/// per-socket dispatch task; emits made while disconnected wait in a bounded buffer and are flushed in order on
/// (re)connect; connection-state recovery (pid + offset) and room re-joining are automatic. All members are thread-safe.
/// </summary>
public sealed partial class NamespaceSocket : IAsyncDisposable
{
    private readonly WebSocketClient _client;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly Channel<Func<ValueTask>> _dispatch = Channel.CreateUnbounded<Func<ValueTask>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _dispatchLoop;
    private readonly List<SocketPacket> _receiveBuffer = [];
    private bool _active;
    private bool _connected;
    private ConnectedEngine? _session;
    private ConnectedEngine? _connectSentFor;
    private bool _rejoinOwed;
    private long _connectSentAt;
    private bool _tokenRetryUsed;
    private bool _tokenExpiredNotice;
    private string? _id;
    private string? _pid;
    private string? _lastOffset;
    private bool _recovered;
    private TaskCompletionSource _connectTcs = NewConnectSource();
    private int _disposed;

    internal NamespaceSocket(WebSocketClient client, string @namespace)
    {
        _client = client;
        Namespace = @namespace;
        _logger = client.LoggerFactory.CreateLogger<NamespaceSocket>();
        _dispatchLoop = Task.Run(DispatchLoopAsync);
    }

    /// <summary>Raised (on the dispatch task, after any events that arrived before it) when the namespace is connected.</summary>
    public event EventHandler? Connected;

    /// <summary>Raised when the namespace connection is lost or closed, with the reason.</summary>
    public event EventHandler<ClientDisconnectReason>? Disconnected;

    /// <summary>Raised when the server refuses the namespace (<c>connect_error</c>).</summary>
    public event EventHandler<ConnectErrorException>? ConnectError;

    /// <summary>The namespace, e.g. <c>/main</c>.</summary>
    public string Namespace { get; }

    /// <summary>The client that owns the engine connection.</summary>
    public WebSocketClient Client => _client;

    /// <summary>The socket id the server assigned (not the engine sid); null before the first connect.</summary>
    public string? Id
    {
        get
        {
            lock (_gate)
            {
                return _id;
            }
        }
    }

    /// <summary>True while the namespace is connected.</summary>
    public bool IsConnected
    {
        get
        {
            lock (_gate)
            {
                return _connected;
            }
        }
    }

    /// <summary>
    /// True when the last connect restored the previous session (connection-state recovery: same id, rooms and the
    /// missed events replayed). Then rooms are not re-joined.
    /// </summary>
    public bool Recovered
    {
        get
        {
            lock (_gate)
            {
                return _recovered;
            }
        }
    }

    /// <summary>True while the socket wants a connection (after <see cref="ConnectAsync"/>, until refused or disconnected).</summary>
    public bool IsActive
    {
        get
        {
            lock (_gate)
            {
                return _active;
            }
        }
    }

    /// <summary>
    /// Connects the namespace (opening the shared engine connection if needed) and waits for the server's CONNECT reply.
    /// The socket then stays connected across reconnects until <see cref="DisconnectAsync"/>, a server-side disconnect or
    /// a refusal.
    /// </summary>
    /// <exception cref="ConnectErrorException">The server refused the namespace (<c>unauthorized</c>, <c>Invalid namespace</c>...).</exception>
    /// <exception cref="TimeoutException">Not connected within <see cref="WebSocketClientOptions.Timeout"/> (the socket keeps trying).</exception>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        Task wait;
        lock (_gate)
        {
            if (_connected)
            {
                return;
            }

            if (!_active || _connectTcs.Task.IsCompleted)
            {
                _connectTcs = NewConnectSource();
            }

            _active = true;
            _tokenRetryUsed = false;
            wait = _connectTcs.Task;
        }

        _client.EnsureStarted();
        if (_client.CurrentOpenSession is { } session)
        {
            _ = SendConnectAsync(session);
        }

        await wait.WaitAsync(_client.Options.Timeout, _client.Time, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Leaves the namespace: sends DISCONNECT, stops reconnecting this socket ("io client disconnect"). The engine
    /// connection closes when no socket is left. Remembered rooms and buffered emits are kept for a later connect.
    /// </summary>
    public Task DisconnectAsync(CancellationToken cancellationToken = default)
    {
        ConnectedEngine? session;
        bool wasConnected;
        lock (_gate)
        {
            session = _session ?? _connectSentFor;
            wasConnected = _connected;
            _active = false;
            _connected = false;
            _session = null;
            _connectSentFor = null;
            _connectTcs.TrySetCanceled(CancellationToken.None);
        }

        if (session is not null)
        {
            session.Send(SocketPacketEncoder.EncodeDisconnect(Namespace));
        }

        if (wasConnected)
        {
            Post(() => Disconnected?.Invoke(this, ClientDisconnectReason.IoClientDisconnect));
        }

        _client.OnSocketDeactivated(ClientDisconnectReason.IoClientDisconnect);
        return Task.CompletedTask;
    }

    /// <summary>Stops the dispatch task and fails pending acknowledgements. Called by the client's disposal.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        lock (_gate)
        {
            _active = false;
            _connected = false;
            _connectTcs.TrySetCanceled(CancellationToken.None);
            foreach (var buffered in _sendBuffer)
            {
                buffered.Pending?.Fail(new EmitDroppedException("The socket was disposed."));
            }

            _sendBuffer.Clear();
        }

        foreach (var pending in _acks.Values)
        {
            pending.Fail(new EmitDroppedException("The socket was disposed."));
        }

        _acks.Clear();
        _dispatch.Writer.TryComplete();
        try
        {
            await _dispatchLoop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A handler that never returns must not make disposal hang; its loop ends when the handler does.
        }
    }

    internal void OnEngineOpen(ConnectedEngine session)
    {
        if (IsActive)
        {
            _ = SendConnectAsync(session);
        }
    }

    internal void OnEngineClosed(ConnectedEngine session, ClientDisconnectReason reason)
    {
        bool wasConnected;
        lock (_gate)
        {
            if (_session != session && _connectSentFor != session)
            {
                return;
            }

            wasConnected = _connected;
            _connected = false;
            _session = null;
            _connectSentFor = null;
            _receiveBuffer.Clear();
        }

        if (wasConnected)
        {
            Post(() => Disconnected?.Invoke(this, reason));
        }
    }

    internal void SendDisconnectIfConnected(ConnectedEngine session)
    {
        lock (_gate)
        {
            if (!_connected || _session != session)
            {
                return;
            }
        }

        session.Send(SocketPacketEncoder.EncodeDisconnect(Namespace));
    }

    /// <summary>Routes one packet; called only from the engine's read loop, so packets arrive here in order.</summary>
    internal void HandlePacket(ConnectedEngine session, SocketPacket packet)
    {
        switch (packet.Type)
        {
            case SocketPacketType.Connect:
                OnConnectReply(session, packet.Data);
                break;
            case SocketPacketType.ConnectError:
                OnConnectError(session, packet.Data);
                break;
            case SocketPacketType.Disconnect:
                OnServerDisconnect(session);
                break;
            case SocketPacketType.Event:
            case SocketPacketType.BinaryEvent:
                OnEvent(session, packet);
                break;
            case SocketPacketType.Ack:
            case SocketPacketType.BinaryAck:
                if (packet.Id is { } id && _acks.TryRemove(id, out var pending))
                {
                    pending.Complete(packet.Arguments);
                }

                break;
        }
    }

    private async Task SendConnectAsync(ConnectedEngine session)
    {
        lock (_gate)
        {
            if (!_active || _connected || _connectSentFor == session)
            {
                return;
            }

            _connectSentFor = session;
        }

        var auth = new Dictionary<string, object?>(_client.Options.Auth);
        if (_client.Options.AccessTokenProvider is { } provider)
        {
            try
            {
                using var timeout = new CancellationTokenSource(_client.Options.Timeout, _client.Time);
                var token = await provider(timeout.Token).ConfigureAwait(false);
                if (token is not null)
                {
                    auth["token"] = token;
                }
            }
            catch (Exception ex)
            {
                Log.TokenProviderFailed(_logger, Namespace, ex);
            }
        }

        lock (_gate)
        {
            if (_connectSentFor != session)
            {
                return;
            }

            if (_pid is not null)
            {
                // Connection-state recovery: the server restores the session when pid and offset match.
                auth["pid"] = _pid;
                auth["offset"] = _lastOffset;
            }

            _connectSentAt = _client.Time.GetTimestamp();
        }

        session.Send(SocketPacketEncoder.EncodeConnect(Namespace, auth));
    }

    private void OnConnectReply(ConnectedEngine session, JsonElement? data)
    {
        var sid = data is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty("sid", out var s) ? s.GetString() : null;
        var pid = data is { ValueKind: JsonValueKind.Object } d2 && d2.TryGetProperty("pid", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        SocketPacket[] early;
        string[] rejoin;
        lock (_gate)
        {
            if (_connectSentFor != session || _connected)
            {
                return;
            }

            _recovered = pid is not null && pid == _pid;
            _pid = pid;
            _id = sid;
            _connected = true;
            _session = session;
            _tokenRetryUsed = false;
            early = [.. _receiveBuffer];
            _receiveBuffer.Clear();
            // A recovered session keeps its rooms on the server, unless an earlier re-join never went out.
            rejoin = _recovered && !_rejoinOwed ? [] : [.. _rooms];
            _client.RecordLatency(_client.Time.GetElapsedTime(_connectSentAt));

            // Order on the wire: room re-joins first, then the emits buffered while disconnected, oldest first. A send
            // refused because the connection closed meanwhile leaves the rest for the next connection: a re-join is
            // owed again, and buffered emits stay in the buffer in order, so nothing is lost silently.
            var sent = true;
            foreach (var room in rejoin)
            {
                var pending = RegisterAck();
                if (!session.Send(SocketPacketEncoder.EncodeEvent(Namespace, RoomJoinEvent, [room], pending.Id)))
                {
                    _acks.TryRemove(pending.Id, out _);
                    sent = false;
                    break;
                }

                _ = LogRejoinAsync(room, pending);
            }

            _rejoinOwed = !sent;
            if (sent)
            {
                // Subscription filters live with the server-side socket, which a reconnect replaces: send them again
                // (every connection sends all of them, so one cut short here is sent on the next).
                ResubscribeLocked(session);
            }

            while (sent && _sendBuffer.TryPeek(out var buffered))
            {
                sent = session.Send(buffered.Packet);
                if (sent)
                {
                    _sendBuffer.Dequeue();
                }
            }

            if (!sent)
            {
                Log.FlushInterrupted(_logger, Namespace, _sendBuffer.Count, _rejoinOwed);
            }
        }

        Log.NamespaceConnected(_logger, Namespace, sid, _recovered, early.Length, rejoin.Length);
        foreach (var packet in early)
        {
            DispatchEvent(packet);
        }

        Post(() => Connected?.Invoke(this, EventArgs.Empty));
        _connectTcs.TrySetResult();
    }

    private void OnConnectError(ConnectedEngine session, JsonElement? data)
    {
        string message;
        JsonElement? errorData = null;
        if (data is { ValueKind: JsonValueKind.Object } obj)
        {
            message = obj.TryGetProperty("message", out var m) ? m.GetString() ?? "connect_error" : "connect_error";
            errorData = obj.TryGetProperty("data", out var e) ? e.Clone() : null;
        }
        else
        {
            message = data?.ToString() ?? "connect_error";
        }

        var error = new ConnectErrorException(message, errorData);
        bool retry;
        lock (_gate)
        {
            if (_connectSentFor != session)
            {
                return;
            }

            _connectSentFor = null;
            retry = error.IsTokenExpired && !_tokenRetryUsed && _client.Options.AccessTokenProvider is not null;
            if (retry)
            {
                _tokenRetryUsed = true;
            }
            else
            {
                _active = false;
            }
        }

        Log.ConnectRefused(_logger, Namespace, message, retry);
        if (retry)
        {
            // The provider is asked once more for a fresh token; a second token_expired is final.
            _ = SendConnectAsync(session);
            return;
        }

        Post(() => ConnectError?.Invoke(this, error));
        _connectTcs.TrySetException(error);
        if (message != "Invalid namespace")
        {
            _client.RaiseAuthenticationFailed(Namespace, error);
            _client.OnSocketDeactivated(ClientDisconnectReason.AuthenticationFailed);
        }
        else
        {
            _client.OnSocketDeactivated(ClientDisconnectReason.IoServerDisconnect);
        }
    }

    private void OnServerDisconnect(ConnectedEngine session)
    {
        bool refresh;
        lock (_gate)
        {
            if (_session != session || !_connected)
            {
                return;
            }

            // The BMS backend announces an expired token with an "error" event {code: "token_expired"} before its
            // DISCONNECT: then the socket reconnects with a fresh token instead of staying disconnected.
            refresh = _tokenExpiredNotice && _client.Options.AccessTokenProvider is not null;
            _tokenExpiredNotice = false;
            _tokenRetryUsed = false;
            _connected = false;
            _active = refresh;
            _session = null;
            _connectSentFor = null;
        }

        Log.ServerDisconnected(_logger, Namespace, refresh);
        Post(() => Disconnected?.Invoke(this, ClientDisconnectReason.IoServerDisconnect));
        if (refresh)
        {
            _ = SendConnectAsync(session);
        }
        else
        {
            _client.OnSocketDeactivated(ClientDisconnectReason.IoServerDisconnect);
        }
    }

    private static bool IsTokenExpiredNotice(SocketPacket packet)
    {
        if (packet.EventName != "error" || packet.Arguments.Count == 0)
        {
            return false;
        }

        var first = packet.Arguments.GetRaw(0);
        return first.ValueKind == JsonValueKind.Object
            && first.TryGetProperty("code", out var code)
            && code.ValueKind == JsonValueKind.String
            && code.ValueEquals("token_expired");
    }

    private void OnEvent(ConnectedEngine session, SocketPacket packet)
    {
        lock (_gate)
        {
            if (!_connected || _session != session)
            {
                // With recovery the server replays missed packets before its CONNECT reply: keep them until then.
                if (_connectSentFor == session)
                {
                    _receiveBuffer.Add(packet);
                }

                return;
            }

            if (IsTokenExpiredNotice(packet))
            {
                _tokenExpiredNotice = true;
            }
        }

        DispatchEvent(packet);
    }

    private void DispatchEvent(SocketPacket packet)
    {
        var args = packet.Arguments;
        if (packet.Id is null && args.Count > 0 && args.GetRaw(args.Count - 1).ValueKind == JsonValueKind.String)
        {
            lock (_gate)
            {
                // As socket.io-client: with a pid, a trailing string argument of an ack-less event is the offset.
                if (_pid is not null)
                {
                    _lastOffset = args.GetRaw(args.Count - 1).GetString();
                }
            }
        }

        var incoming = new IncomingEvent(this, packet.EventName ?? string.Empty, args, packet.Id);
        _dispatch.Writer.TryWrite(() => InvokeHandlersAsync(incoming));
    }

    private static TaskCompletionSource NewConnectSource()
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // A refusal nobody awaits (the socket was connected by a reconnect, not by ConnectAsync) is not an unobserved error.
        _ = source.Task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return source;
    }

    private void Post(Action action) =>
        _dispatch.Writer.TryWrite(() =>
        {
            action();
            return ValueTask.CompletedTask;
        });

    private async Task DispatchLoopAsync()
    {
        await foreach (var work in _dispatch.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await work().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.HandlerFailed(_logger, Namespace, "(lifecycle)", ex);
            }
        }
    }
}
