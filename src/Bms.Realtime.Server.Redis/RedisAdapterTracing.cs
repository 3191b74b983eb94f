using System.Diagnostics;

namespace Bms.Realtime.Server.Redis;

/// <summary>
/// The Redis adapter's <see cref="ActivitySource"/> (<see cref="ActivitySourceName"/>). A broadcast published to other
/// nodes is a <see cref="ActivityKind.Producer"/> span <c>redis publish</c>; its W3C <c>traceparent</c> travels in the
/// message's options map under the key <c>bmsTrace</c> (Node peers ignore unknown option keys, so the
/// <c>@socket.io/redis-adapter</c> format is unchanged for them), and the receiving .NET node delivers inside a
/// <see cref="ActivityKind.Consumer"/> span <c>redis receive</c> of the same trace. Broadcasts from Node peers carry no
/// context. No span is created while nothing listens to the source.
/// </summary>
public static class RedisAdapterTracing
{
    /// <summary>The source name to enable, e.g. <c>tracing.AddSource(RedisAdapterTracing.ActivitySourceName)</c>.</summary>
    public const string ActivitySourceName = "Bms.Realtime.Server.Redis";

    internal static readonly ActivitySource Source = new(ActivitySourceName);
}
