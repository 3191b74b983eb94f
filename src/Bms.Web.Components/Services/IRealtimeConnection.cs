using Bms.Realtime.Client;

namespace Bms.Web.Components.Services;

/// <summary>
/// The app's real-time connection (the web platform's <c>useWebSocket</c> hook): one <see cref="WebSocketClient"/>
/// per signed-in app shared by every component on the page, with its state, statistics, event subscriptions and
/// rooms. Events and <see cref="StateChanged"/> are raised on background threads; components marshal with
/// <c>InvokeAsync</c> (see <see cref="RealtimeComponentBase"/>). Implementations are thread-safe.
/// </summary>
public interface IRealtimeConnection
{
    /// <summary>The state of the engine connection.</summary>
    ConnectionState State { get; }

    /// <summary>Why the last connection closed.</summary>
    ClientDisconnectReason LastDisconnectReason { get; }

    /// <summary>The last connection error, if any.</summary>
    Exception? LastError { get; }

    /// <summary>Raised after every state transition.</summary>
    event EventHandler<ConnectionStateChangedEventArgs>? StateChanged;

    /// <summary>A snapshot of latency, transport, reconnect attempts and traffic.</summary>
    ConnectionStatistics GetStatistics();

    /// <summary>Connects the default namespace (<see cref="RealtimeConnectionOptions.Namespace"/>); returns when connected.</summary>
    Task ConnectAsync(CancellationToken cancellationToken = default);

    /// <summary>Disconnects and stops reconnecting until the next <see cref="ConnectAsync"/>.</summary>
    Task DisconnectAsync(CancellationToken cancellationToken = default);

    /// <summary>Drops the connection and connects again at once.</summary>
    Task ReconnectAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Subscribes to <paramref name="eventName"/> on <paramref name="namespace"/> with the first argument read as
    /// <typeparamref name="T"/>. Dispose the result to unsubscribe. Handlers of one namespace run in arrival order.
    /// </summary>
    IDisposable Subscribe<T>(string @namespace, string eventName, Func<T?, Task> handler);

    /// <summary>Joins <paramref name="room"/> on <paramref name="namespace"/> (<c>room:join</c> with an ack).</summary>
    Task<RoomResult> JoinRoomAsync(string @namespace, string room, CancellationToken cancellationToken = default);

    /// <summary>Leaves <paramref name="room"/> on <paramref name="namespace"/>.</summary>
    Task<RoomResult> LeaveRoomAsync(string @namespace, string room, CancellationToken cancellationToken = default);

    /// <summary>The rooms joined on <paramref name="namespace"/>.</summary>
    IReadOnlyCollection<string> GetRooms(string @namespace);

    /// <summary>
    /// Raised when the server refuses the credentials (the client stops retrying); the host signs the user out.
    /// Implementations without credentials never raise it.
    /// </summary>
    event EventHandler<AuthenticationFailedEventArgs>? AuthenticationFailed
    {
        add { }
        remove { }
    }

    /// <summary>
    /// Raised when a reconnection attempt is scheduled, with its delay (the status pill shows the next retry).
    /// Implementations that never reconnect never raise it.
    /// </summary>
    event EventHandler<ReconnectAttemptEventArgs>? ReconnectAttempt
    {
        add { }
        remove { }
    }
}
