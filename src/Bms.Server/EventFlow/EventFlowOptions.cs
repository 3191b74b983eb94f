namespace Bms.Server.EventFlow;

/// <summary>The live event-flow view (<c>Bms:EventFlow</c>). Defaults suit a dashboard on a busy node.</summary>
internal sealed class EventFlowOptions
{
    /// <summary>Records kept per node (a ring: the oldest is overwritten). Default 2,000; 100 to 100,000.</summary>
    public int Capacity { get; set; } = 2000;

    /// <summary>How often watchers get the new records (and other nodes are asked for theirs). Default 500 ms.</summary>
    public TimeSpan PushInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long this node waits for the other nodes' records on each push. Default 2 s.</summary>
    public TimeSpan PullTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a node keeps recording after another node last asked for its records (that node's watchers renew it on
    /// every push). Default 10 s.
    /// </summary>
    public TimeSpan RemoteLease { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Most records in one <c>event-flow</c> message or one answer to another node. Default 500.</summary>
    public int MaxRecordsPerMessage { get; set; } = 500;

    /// <summary>Longest payload preview kept per record, in characters, while a watcher asked for payloads. Default 2,048.</summary>
    public int PayloadPreviewChars { get; set; } = 2048;

    /// <summary>A connect within this time of the same user's disconnect on the same namespace is shown as a reconnect. Default 2 min.</summary>
    public TimeSpan ReconnectWindow { get; set; } = TimeSpan.FromMinutes(2);

    internal bool IsValid() =>
        Capacity is >= 100 and <= 100_000
        && PushInterval > TimeSpan.Zero && PullTimeout > TimeSpan.Zero && RemoteLease > PushInterval
        && MaxRecordsPerMessage > 0 && PayloadPreviewChars > 0 && ReconnectWindow > TimeSpan.Zero;
}
