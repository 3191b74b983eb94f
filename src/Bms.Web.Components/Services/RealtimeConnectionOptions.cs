using Bms.Contracts;
using Bms.Realtime.Client;
using Bms.Web.Components.Models;

namespace Bms.Web.Components.Services;

/// <summary>Options of the app's <see cref="RealtimeConnection"/>. Bound from <c>Bms:Dashboard</c> by the host.</summary>
public sealed class RealtimeConnectionOptions
{
    /// <summary>The backend's URL (REST API and <c>/socket.io/</c>). Required; the host may resolve it from its own address.</summary>
    public Uri? ServerUrl { get; set; }

    /// <summary>The namespace the dashboard connects. Default <c>/main</c>.</summary>
    public string Namespace { get; set; } = RealtimeEventNames.MainNamespace;

    /// <summary>Delay before the first reconnection attempt. Default 1 s (socket.io's).</summary>
    public TimeSpan ReconnectionDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Maximum delay between reconnection attempts. Default 5 s.</summary>
    public TimeSpan ReconnectionDelayMax { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Event emitted with an ack to measure latency (the backend answers <c>ping</c>); null disables. Default <c>ping</c>.</summary>
    public string? LatencyProbeEvent { get; set; } = "ping";

    /// <summary>Period of the latency probe. Default 10 s.</summary>
    public TimeSpan LatencyProbeInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Transports in order of preference. Default WebSocket only.</summary>
    public IList<TransportKind> Transports { get; set; } = [TransportKind.WebSocket];
}
