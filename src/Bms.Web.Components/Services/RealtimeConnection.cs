using Bms.Realtime.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bms.Web.Components.Services;

/// <summary>
/// The live <see cref="IRealtimeConnection"/>: owns one <see cref="WebSocketClient"/> for the page, authenticated
/// with the user's token from <see cref="IAccessTokenSource"/> (asked before every connect and reconnect). In the
/// dashboard it runs in the browser (WebAssembly), so the connection is the browser's own. Registered scoped.
/// Thread-safe.
/// </summary>
public sealed class RealtimeConnection : IRealtimeConnection, IAsyncDisposable
{
    private readonly WebSocketClient _client;
    private readonly RealtimeConnectionOptions _options;

    /// <summary>Creates the connection; nothing connects until <see cref="ConnectAsync"/>.</summary>
    /// <exception cref="InvalidOperationException"><see cref="RealtimeConnectionOptions.ServerUrl"/> is not set.</exception>
    public RealtimeConnection(IOptions<RealtimeConnectionOptions> options, IAccessTokenSource tokens, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tokens);
        _options = options.Value;
        var url = _options.ServerUrl ?? throw new InvalidOperationException("RealtimeConnectionOptions.ServerUrl (Bms:Dashboard:ServerUrl) is required.");
        _client = new WebSocketClient(
            new WebSocketClientOptions
            {
                Url = url,
                AccessTokenProvider = tokens.GetAccessTokenAsync,
                ReconnectionDelay = _options.ReconnectionDelay,
                ReconnectionDelayMax = _options.ReconnectionDelayMax,
                LatencyProbeEvent = _options.LatencyProbeEvent,
                LatencyProbeInterval = _options.LatencyProbeInterval,
                Transports = [.. _options.Transports],
            },
            loggerFactory);
        _client.StateChanged += OnClientStateChanged;
        _client.AuthenticationFailed += OnAuthenticationFailed;
        _client.ReconnectAttempt += OnReconnectAttempt;
    }

    /// <inheritdoc />
    public event EventHandler<ConnectionStateChangedEventArgs>? StateChanged;

    /// <inheritdoc />
    public event EventHandler<AuthenticationFailedEventArgs>? AuthenticationFailed;

    /// <inheritdoc />
    public event EventHandler<ReconnectAttemptEventArgs>? ReconnectAttempt;

    /// <summary>The underlying client (for diagnostics).</summary>
    public WebSocketClient Client => _client;

    /// <inheritdoc />
    public ConnectionState State => _client.State;

    /// <inheritdoc />
    public ClientDisconnectReason LastDisconnectReason => _client.LastDisconnectReason;

    /// <inheritdoc />
    public Exception? LastError => _client.LastError;

    /// <inheritdoc />
    public ConnectionStatistics GetStatistics() => _client.GetStatistics();

    /// <inheritdoc />
    public Task ConnectAsync(CancellationToken cancellationToken = default) =>
        _client.Of(_options.Namespace).ConnectAsync(cancellationToken);

    /// <inheritdoc />
    public Task DisconnectAsync(CancellationToken cancellationToken = default) => _client.DisconnectAsync(cancellationToken);

    /// <inheritdoc />
    public async Task ReconnectAsync(CancellationToken cancellationToken = default)
    {
        var socket = _client.Of(_options.Namespace);
        if (!socket.IsActive)
        {
            // After DisconnectAsync (or a server-side namespace disconnect) the socket must be connected again explicitly.
            await socket.ConnectAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await _client.ReconnectAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public IDisposable Subscribe<T>(string @namespace, string eventName, Func<T?, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return _client.Of(@namespace).On<T>(eventName, (Func<T?, ValueTask>)(value => new ValueTask(handler(value))));
    }

    /// <inheritdoc />
    public Task<RoomResult> JoinRoomAsync(string @namespace, string room, CancellationToken cancellationToken = default) =>
        _client.Of(@namespace).JoinRoomAsync(room, cancellationToken: cancellationToken);

    /// <inheritdoc />
    public Task<RoomResult> LeaveRoomAsync(string @namespace, string room, CancellationToken cancellationToken = default) =>
        _client.Of(@namespace).LeaveRoomAsync(room, cancellationToken: cancellationToken);

    /// <inheritdoc />
    public IReadOnlyCollection<string> GetRooms(string @namespace) => _client.Of(@namespace).Rooms;

    /// <summary>Closes the connection and releases the client.</summary>
    public async ValueTask DisposeAsync()
    {
        _client.StateChanged -= OnClientStateChanged;
        _client.AuthenticationFailed -= OnAuthenticationFailed;
        _client.ReconnectAttempt -= OnReconnectAttempt;
        await _client.DisposeAsync().ConfigureAwait(false);
    }

    private void OnClientStateChanged(object? sender, ConnectionStateChangedEventArgs e) => StateChanged?.Invoke(this, e);

    private void OnAuthenticationFailed(object? sender, AuthenticationFailedEventArgs e) => AuthenticationFailed?.Invoke(this, e);

    private void OnReconnectAttempt(object? sender, ReconnectAttemptEventArgs e) => ReconnectAttempt?.Invoke(this, e);
}
