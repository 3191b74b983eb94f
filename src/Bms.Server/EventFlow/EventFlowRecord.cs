namespace Bms.Server.EventFlow;

/// <summary>
/// One entry of the event-flow view: a broadcast this node delivered (<see cref="Kind"/> <c>event</c>) or a socket's
/// connection-state transition (<c>connection</c>). Identified by (<see cref="Node"/>, <see cref="Seq"/>). Small by
/// design: the payload's size, never the payload, unless a watcher asked for previews.
/// </summary>
/// <param name="Seq">Increasing per node.</param>
/// <param name="Node">The node that recorded it.</param>
/// <param name="At">When (UTC).</param>
/// <param name="Kind"><c>event</c> or <c>connection</c>.</param>
/// <param name="Namespace">The namespace.</param>
/// <param name="Name">The event type, or the transition: <c>connect</c>, <c>reconnect</c>, <c>recovered</c>, <c>disconnect</c>.</param>
/// <param name="EventId">The envelope id of a business event (null for other emits and transitions).</param>
/// <param name="Rooms">Target rooms (empty: the whole namespace); for a transition, none.</param>
/// <param name="Recipients">Local sockets the packet was queued for.</param>
/// <param name="PayloadBytes">Encoded size of the packet in bytes.</param>
/// <param name="CommitToSendMs">From the database commit to the last local send, in ms; null when the event was not published by this node.</param>
/// <param name="StoreId">The store the event or socket belongs to, when known.</param>
/// <param name="SocketId">The socket of a transition.</param>
/// <param name="Actor">Who the socket belongs to (user or terminal name).</param>
/// <param name="Reason">The disconnect reason (the reference server's wording).</param>
/// <param name="Transport">The socket's transport.</param>
/// <param name="Payload">The first argument as JSON, cut to the preview length; only while a watcher asked for payloads.</param>
internal sealed record EventFlowRecord(
    long Seq,
    string Node,
    DateTime At,
    string Kind,
    string Namespace,
    string Name,
    string? EventId,
    string[] Rooms,
    int Recipients,
    int PayloadBytes,
    double? CommitToSendMs,
    int? StoreId,
    string? SocketId,
    string? Actor,
    string? Reason,
    string? Transport,
    string? Payload)
{
    public const string EventKind = "event";
    public const string ConnectionKind = "connection";
}
