namespace Bms.Realtime.Client;

/// <summary>Why a connection or namespace socket was closed. A closed set, with the same meaning as socket.io-client's reasons.</summary>
public enum ClientDisconnectReason
{
    /// <summary>No disconnect has happened yet.</summary>
    None = 0,

    /// <summary>"io server disconnect": the server disconnected the socket. The client does not reconnect by itself.</summary>
    IoServerDisconnect = 1,

    /// <summary>"io client disconnect": the application called <c>DisconnectAsync</c>.</summary>
    IoClientDisconnect = 2,

    /// <summary>"ping timeout": no server ping within pingInterval + pingTimeout (for example a frozen server).</summary>
    PingTimeout = 3,

    /// <summary>"transport close": the server closed the connection (or the network closed it cleanly).</summary>
    TransportClose = 4,

    /// <summary>"transport error": the connection failed (reset, refused, HTTP error).</summary>
    TransportError = 5,

    /// <summary>"parse error": the server sent a malformed packet.</summary>
    ParseError = 6,

    /// <summary>The application asked for a reconnect (<c>ReconnectAsync</c>).</summary>
    ForcedReconnect = 7,

    /// <summary>The server refused authentication; the client stopped retrying.</summary>
    AuthenticationFailed = 8,
}
