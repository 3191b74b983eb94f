namespace Bms.Realtime.Protocol;

/// <summary>Socket.IO v5 packet types; the values are the digits used on the wire.</summary>
public enum SocketPacketType : byte
{
    /// <summary>Join a namespace (client) or confirm the join (server).</summary>
    Connect = 0,
    /// <summary>Leave a namespace.</summary>
    Disconnect = 1,
    /// <summary>An event with JSON arguments.</summary>
    Event = 2,
    /// <summary>The answer to an event that asked for an acknowledgement.</summary>
    Ack = 3,
    /// <summary>The server refused the namespace join.</summary>
    ConnectError = 4,
    /// <summary>An event with binary attachments.</summary>
    BinaryEvent = 5,
    /// <summary>An acknowledgement with binary attachments.</summary>
    BinaryAck = 6,
}
