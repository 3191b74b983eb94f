using System.Text.Json.Serialization;

namespace Bms.Contracts;

/// <summary>The acknowledgement of <c>event-flow:subscribe</c>: the newest records of every node, oldest first.</summary>
public sealed record EventFlowSnapshot
{
    /// <summary>True when subscribed; false with <see cref="Error"/> (e.g. <c>forbidden</c>) when refused.</summary>
    public bool Ok { get; init; }

    /// <summary>Why the subscription was refused (see <see cref="AckErrorCodes"/>); absent when <see cref="Ok"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }

    /// <summary>The node the watcher is connected to.</summary>
    public string Node { get; init; } = "";

    /// <summary>How many records each node keeps.</summary>
    public int Capacity { get; init; }

    /// <summary>The records.</summary>
    public IReadOnlyList<EventFlowRecord> Records { get; init; } = [];
}
