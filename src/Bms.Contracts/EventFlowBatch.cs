namespace Bms.Contracts;

/// <summary>The argument of the <c>event-flow</c> event: records recorded since the previous batch, oldest first.</summary>
public sealed record EventFlowBatch
{
    /// <summary>The records.</summary>
    public IReadOnlyList<EventFlowRecord> Records { get; init; } = [];
}
