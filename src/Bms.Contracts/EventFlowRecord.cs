using System.Text.Json.Serialization;

namespace Bms.Contracts;

/// <summary>
/// One record of the server's live event-flow view (<c>event-flow</c> on <c>/admin</c>): a broadcast a node delivered
/// (<see cref="Kind"/> <c>event</c>) or a socket's connection-state transition (<c>connection</c>). Identified by
/// (<see cref="Node"/>, <see cref="Seq"/>). Small by design: the payload's size, never the payload, unless the watcher
/// asked for previews.
/// </summary>
public sealed record EventFlowRecord
{
    /// <summary>The <see cref="Kind"/> of a broadcast record.</summary>
    public const string EventKind = "event";

    /// <summary>The <see cref="Kind"/> of a connection-state transition.</summary>
    public const string ConnectionKind = "connection";

    /// <summary>Increasing per node.</summary>
    public long Seq { get; init; }

    /// <summary>The node that recorded it.</summary>
    public string Node { get; init; } = "";

    /// <summary>When (UTC).</summary>
    public DateTime At { get; init; }

    /// <summary><c>event</c> or <c>connection</c>.</summary>
    public string Kind { get; init; } = "";

    /// <summary>The namespace.</summary>
    public string Namespace { get; init; } = "";

    /// <summary>The event type, or the transition (<c>connect</c>, <c>reconnect</c>, <c>recovered</c>, <c>disconnect</c>).</summary>
    public string Name { get; init; } = "";

    /// <summary>The business event's id, when it is one.</summary>
    public string? EventId { get; init; }

    /// <summary>Target rooms; empty for the whole namespace.</summary>
    public IReadOnlyList<string> Rooms { get; init; } = [];

    /// <summary>Sockets the node queued the packet for.</summary>
    public int Recipients { get; init; }

    /// <summary>Encoded size in bytes.</summary>
    public int PayloadBytes { get; init; }

    /// <summary>Database commit → last local send, in ms (null when published by another node).</summary>
    public double? CommitToSendMs { get; init; }

    /// <summary>The store, when known.</summary>
    public int? StoreId { get; init; }

    /// <summary>The socket of a transition.</summary>
    public string? SocketId { get; init; }

    /// <summary>The user or terminal of a transition.</summary>
    public string? Actor { get; init; }

    /// <summary>Why a socket disconnected.</summary>
    public string? Reason { get; init; }

    /// <summary>The socket's transport.</summary>
    public string? Transport { get; init; }

    /// <summary>A payload preview (only when the watcher asked for payloads).</summary>
    public string? Payload { get; init; }

    /// <summary>True for a broadcast record.</summary>
    [JsonIgnore]
    public bool IsEvent => Kind == EventKind;
}
