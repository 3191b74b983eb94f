namespace Bms.Realtime.Client;

/// <summary>The state of a <see cref="WebSocketClient"/>'s engine connection. A closed set.</summary>
public enum ConnectionState
{
    /// <summary>Not connected and not trying to connect (initial state, after <c>DisconnectAsync</c>, or after a server-initiated disconnect).</summary>
    Disconnected = 0,

    /// <summary>The first connection attempt is in progress.</summary>
    Connecting = 1,

    /// <summary>The engine connection is open; namespace sockets can exchange packets.</summary>
    Connected = 2,

    /// <summary>The connection was lost (or the first attempt failed) and the client is waiting for or making a retry.</summary>
    Reconnecting = 3,

    /// <summary>The client gave up: retries exhausted or authentication refused. See <see cref="WebSocketClient.LastError"/>.</summary>
    Error = 4,
}
