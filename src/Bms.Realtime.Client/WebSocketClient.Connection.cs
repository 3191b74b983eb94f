using Microsoft.Extensions.Logging;
using Bms.Realtime.Client.Engine;
using Bms.Realtime.Protocol;

namespace Bms.Realtime.Client;

/// <summary>The connection loop: open, watch, reconnect with backoff; and the engine listener.</summary>
public sealed partial class WebSocketClient
{
    private async Task RunGuardedAsync(CancellationTokenSource owner)
    {
        try
        {
            await RunAsync(owner).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.ConnectionLoopFailed(_logger, ex);
            lock (_gate)
            {
                _lastError = ex;
            }

            SetLoopState(owner, ConnectionState.Error, ClientDisconnectReason.TransportError, ex, terminal: true);
        }
    }

    private async Task RunAsync(CancellationTokenSource owner)
    {
        var token = owner.Token;
        var attempt = 0;
        var wasConnected = false;
        var lostAt = _time.GetTimestamp();
        while (!token.IsCancellationRequested)
        {
            var session = new ConnectedEngine(new EngineConnection(
                _options, _http, _time, _loggerFactory.CreateLogger<EngineConnection>(), this, _counters));
            lock (_gate)
            {
                _session = session;
                _sessionOpen = false;
            }

            try
            {
                await session.Engine.OpenAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                await session.Engine.DisposeAsync().ConfigureAwait(false);
                return;
            }
            catch (Exception ex)
            {
                await session.Engine.DisposeAsync().ConfigureAwait(false);
                Log.ConnectAttemptFailed(_logger, _options.Url!, ex.Message);
                lock (_gate)
                {
                    _lastError = ex;
                }

                if (ex is EngineHandshakeException { IsAuthenticationFailure: true } refused)
                {
                    var error = new ConnectErrorException("unauthorized", null, refused.StatusCode, ex);
                    RaiseAuthenticationFailed(null, error);
                    SetLoopState(owner, ConnectionState.Error, ClientDisconnectReason.AuthenticationFailed, error, terminal: true);
                    return;
                }

                if (!_options.Reconnection)
                {
                    SetLoopState(owner, ConnectionState.Error, ClientDisconnectReason.TransportError, ex, terminal: true);
                    return;
                }

                if (!await DelayBeforeRetryAsync(owner, ++attempt, lostAt, ex).ConfigureAwait(false))
                {
                    return;
                }

                continue;
            }

            lock (_gate)
            {
                _sessionOpen = true;
                _connectedSince = _time.GetUtcNow();
                _reconnectAttempts = 0;
            }

            RecordLatency(session.Engine.HandshakeDuration);
            if (wasConnected || attempt > 0)
            {
                Interlocked.Increment(ref _reconnectCount);
                var attempts = attempt;
                Notify(() => Reconnected?.Invoke(this, attempts));
            }

            wasConnected = true;
            attempt = 0;
            SetLoopState(owner, ConnectionState.Connected, ClientDisconnectReason.None, null, terminal: false);
            foreach (var socket in _sockets.Values)
            {
                socket.OnEngineOpen(session);
            }

            StartLatencyProbe();
            EngineCloseInfo close;
            try
            {
                close = await session.Engine.Closed.WaitAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await session.Engine.CloseAsync(ClientDisconnectReason.IoClientDisconnect, null, sendClose: true).ConfigureAwait(false);
                close = await session.Engine.Closed.ConfigureAwait(false);
            }

            _latencyProbe?.Dispose();
            lock (_gate)
            {
                _sessionOpen = false;
                _session = null;
                _lastReason = close.Reason;
                _lastError = close.Error ?? _lastError;
            }

            foreach (var socket in _sockets.Values)
            {
                socket.OnEngineClosed(session, close.Reason);
            }

            await session.Engine.DisposeAsync().ConfigureAwait(false);
            Log.ConnectionLost(_logger, close.Reason, close.Error?.Message);
            switch (close.Reason)
            {
                case ClientDisconnectReason.IoClientDisconnect:
                case ClientDisconnectReason.IoServerDisconnect:
                    SetLoopState(owner, ConnectionState.Disconnected, close.Reason, close.Error, terminal: true);
                    return;
                case ClientDisconnectReason.AuthenticationFailed:
                    SetLoopState(owner, ConnectionState.Error, close.Reason, LastError, terminal: true);
                    return;
                case ClientDisconnectReason.ForcedReconnect:
                    SetLoopState(owner, ConnectionState.Reconnecting, close.Reason, null, terminal: false);
                    continue;
            }

            if (!_options.Reconnection)
            {
                SetLoopState(owner, ConnectionState.Disconnected, close.Reason, close.Error, terminal: true);
                return;
            }

            lostAt = _time.GetTimestamp();
            if (!await DelayBeforeRetryAsync(owner, ++attempt, lostAt, close.Error, close.Reason).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private async Task<bool> DelayBeforeRetryAsync(
        CancellationTokenSource owner,
        int attempt,
        long lostAt,
        Exception? error,
        ClientDisconnectReason reason = ClientDisconnectReason.TransportError)
    {
        var token = owner.Token;
        var delay = _retryPolicy.NextRetryDelay(new RetryContext(attempt, _time.GetElapsedTime(lostAt), error));
        if (delay is not { } wait)
        {
            Log.ReconnectFailed(_logger, attempt - 1);
            SetLoopState(owner, ConnectionState.Error, reason, error, terminal: true);
            Notify(() => ReconnectFailed?.Invoke(this, error));
            return false;
        }

        lock (_gate)
        {
            _reconnectAttempts = attempt;
        }

        SetLoopState(owner, ConnectionState.Reconnecting, reason, error, terminal: false);
        Log.ReconnectScheduled(_logger, attempt, wait);
        Notify(() => ReconnectAttempt?.Invoke(this, new ReconnectAttemptEventArgs(attempt, wait, error)));
        try
        {
            await Task.Delay(wait, _time, token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// A state change made by the connection loop <paramref name="owner"/>; ignored once that loop was replaced or
    /// stopped by <see cref="DisconnectAsync"/>. A terminal change also detaches the loop so the next connect starts a new one.
    /// </summary>
    private void SetLoopState(CancellationTokenSource owner, ConnectionState state, ClientDisconnectReason reason, Exception? error, bool terminal)
    {
        lock (_gate)
        {
            if (_loopCts != owner)
            {
                return;
            }

            if (terminal)
            {
                _loop = null;
                _loopCts = null;
            }

            SetStateLocked(state, reason, error);
        }
    }

    private void SetState(ConnectionState state, ClientDisconnectReason reason, Exception? error)
    {
        lock (_gate)
        {
            SetStateLocked(state, reason, error);
        }
    }

    private void SetStateLocked(ConnectionState state, ClientDisconnectReason reason, Exception? error)
    {
        if (_state == state)
        {
            return;
        }

        var change = new ConnectionStateChangedEventArgs(_state, state, reason, error);
        _state = state;
        _lastReason = reason == ClientDisconnectReason.None ? _lastReason : reason;

        for (var i = _stateWaiters.Count - 1; i >= 0; i--)
        {
            if (_stateWaiters[i].States.Contains(state))
            {
                _stateWaiters[i].Tcs.TrySetResult(state);
                _stateWaiters.RemoveAt(i);
            }
        }

        foreach (var watcher in _stateWatchers)
        {
            watcher.Writer.TryWrite(change);
        }

        if (_options.Debug)
        {
            Log.StateChanged(_logger, change.Previous, state, reason);
        }

        _notifications.Writer.TryWrite(() => StateChanged?.Invoke(this, change));
    }

    internal void RaiseAuthenticationFailed(string? @namespace, ConnectErrorException error)
    {
        lock (_gate)
        {
            _lastError = error;
        }

        Log.AuthenticationFailed(_logger, @namespace ?? "(handshake)", error.Message);
        Notify(() => AuthenticationFailed?.Invoke(this, new AuthenticationFailedEventArgs(@namespace, error)));
    }

    /// <summary>
    /// A namespace socket stopped wanting a connection (server disconnect, refusal, or its own DisconnectAsync). When none
    /// is left, the engine connection is closed with that reason, as socket.io's Manager does.
    /// </summary>
    internal void OnSocketDeactivated(ClientDisconnectReason reason)
    {
        lock (_gate)
        {
            _lastReason = reason;
        }

        if (_sockets.Values.Any(s => s.IsActive))
        {
            return;
        }

        var session = CurrentOpenSession;
        if (session is not null)
        {
            _ = session.Engine.CloseAsync(reason, null, sendClose: true);
        }
    }

    private void StartLatencyProbe()
    {
        if (_options.LatencyProbeEvent is not { } probeEvent)
        {
            return;
        }

        _latencyProbe?.Dispose();
        _latencyProbe = _time.CreateTimer(
            _ => _ = ProbeLatencyAsync(probeEvent),
            null,
            _options.LatencyProbeInterval,
            _options.LatencyProbeInterval);
    }

    private async Task ProbeLatencyAsync(string probeEvent)
    {
        var socket = _sockets.Values.FirstOrDefault(s => s.IsConnected);
        if (socket is null)
        {
            return;
        }

        try
        {
            await socket.MeasureLatencyAsync(probeEvent, _options.Timeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or EmitDroppedException)
        {
            Log.LatencyProbeFailed(_logger, ex.Message);
        }
    }

    void IEngineListener.OnMessage(EngineConnection connection, EnginePacket packet)
    {
        ConnectedEngine? session;
        lock (_gate)
        {
            session = _session;
        }

        if (session is null || session.Engine != connection)
        {
            return;
        }

        SocketPacket? decoded;
        try
        {
            decoded = packet.IsBinary ? session.Decoder.DecodeBinary(packet.Data) : session.Decoder.DecodeText(packet.Data.Span);
        }
        catch (ProtocolException ex)
        {
            Log.MalformedPacket(_logger, ex.Message);
            _ = connection.CloseAsync(ClientDisconnectReason.ParseError, ex, sendClose: false);
            return;
        }

        if (decoded is null)
        {
            return;
        }

        if (_options.Debug)
        {
            Log.PacketIn(_logger, decoded.Type, decoded.Namespace, packet.IsBinary ? "(binary)" : System.Text.Encoding.UTF8.GetString(packet.Data.Span));
        }

        if (_sockets.TryGetValue(decoded.Namespace, out var socket))
        {
            socket.HandlePacket(session, decoded);
        }
        else
        {
            Log.UnknownNamespace(_logger, decoded.Namespace);
        }
    }

    void IEngineListener.OnTransportChanged(EngineConnection connection, TransportKind transport)
    {
        if (_options.Debug)
        {
            Log.TransportChanged(_logger, transport);
        }
    }
}
