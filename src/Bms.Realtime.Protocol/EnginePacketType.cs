namespace Bms.Realtime.Protocol;

/// <summary>Engine.IO v4 packet types; the values are the digits used on the wire.</summary>
public enum EnginePacketType : byte
{
    /// <summary>Handshake, sent by the server with the session parameters.</summary>
    Open = 0,
    /// <summary>Closes the session.</summary>
    Close = 1,
    /// <summary>Heartbeat request (server to client in v4), or the upgrade probe.</summary>
    Ping = 2,
    /// <summary>Heartbeat answer, or the upgrade probe answer.</summary>
    Pong = 3,
    /// <summary>An application message (carries a Socket.IO packet).</summary>
    Message = 4,
    /// <summary>Completes the polling to WebSocket upgrade.</summary>
    Upgrade = 5,
    /// <summary>No operation; used to end a pending poll during an upgrade.</summary>
    Noop = 6,
}
