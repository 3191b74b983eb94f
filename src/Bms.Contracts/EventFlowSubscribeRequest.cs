namespace Bms.Contracts;

/// <summary>The argument of <c>event-flow:subscribe</c> on <c>/admin</c>.</summary>
public sealed record EventFlowSubscribeRequest
{
    /// <summary>True to receive a preview of each event's payload (more work for the server while it is on).</summary>
    public bool Payloads { get; init; }
}
