using System.Diagnostics;

namespace Bms.Realtime.Server.Hosting;

/// <summary>
/// The server library's <see cref="ActivitySource"/> (<see cref="ActivitySourceName"/>). Each broadcast emit
/// (<c>io.Of(…).To(…).EmitAsync</c>) is a <see cref="ActivityKind.Producer"/> span <c>socket.io emit</c>, a child of the
/// caller's current activity (e.g. the REST request that raised the event), tagged <c>messaging.system=socket.io</c>,
/// <c>messaging.destination.name</c> (namespace), <c>socket.io.event</c> and <c>socket.io.rooms</c>. No span is created
/// while nothing listens to the source.
/// </summary>
public static class RealtimeTracing
{
    /// <summary>The source name to enable, e.g. <c>tracing.AddSource(RealtimeTracing.ActivitySourceName)</c>.</summary>
    public const string ActivitySourceName = "Bms.Realtime.Server";

    internal static readonly ActivitySource Source = new(ActivitySourceName);
}
