namespace Bms.Realtime.Server.Engine;

/// <summary>Why an Engine.IO session closed (a closed set; the strings are the reference server's).</summary>
public enum EngineCloseReason
{
    /// <summary>The transport was closed by the peer (WebSocket closed, poll aborted).</summary>
    TransportClose,
    /// <summary>The transport failed (I/O error, protocol violation, overflow).</summary>
    TransportError,
    /// <summary>No pong within pingTimeout.</summary>
    PingTimeout,
    /// <summary>The client sent malformed data.</summary>
    ParseError,
    /// <summary>The server closed the session.</summary>
    ForcedClose,
    /// <summary>The server is stopping.</summary>
    ServerShuttingDown,
}
