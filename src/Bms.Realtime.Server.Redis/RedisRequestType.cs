namespace Bms.Realtime.Server.Redis;

/// <summary>
/// The request types exchanged on the request and response channels, numbered as in <c>@socket.io/redis-adapter</c> 8.x.
/// </summary>
public enum RedisRequestType
{
    /// <summary>Socket ids in rooms (<c>io.allSockets()</c>).</summary>
    Sockets = 0,

    /// <summary>Every room of every node.</summary>
    AllRooms = 1,

    /// <summary>Make matching sockets join rooms.</summary>
    RemoteJoin = 2,

    /// <summary>Make matching sockets leave rooms.</summary>
    RemoteLeave = 3,

    /// <summary>Disconnect matching sockets.</summary>
    RemoteDisconnect = 4,

    /// <summary>Snapshots of matching sockets.</summary>
    RemoteFetch = 5,

    /// <summary>An event for the other server nodes.</summary>
    ServerSideEmit = 6,

    /// <summary>A broadcast that expects acknowledgements.</summary>
    Broadcast = 7,

    /// <summary>Response: how many local clients received a <see cref="Broadcast"/>.</summary>
    BroadcastClientCount = 8,

    /// <summary>Response: one client's acknowledgement of a <see cref="Broadcast"/>.</summary>
    BroadcastAck = 9,
}
