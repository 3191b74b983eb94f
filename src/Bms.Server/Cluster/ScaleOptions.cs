using Bms.Server.Data.Postgres;
using Bms.Server.Data;
using Bms.Server.Observability;
using Bms.Server.Realtime;
namespace Bms.Server.Cluster;

/// <summary>Scale-out settings, section <c>Bms:Scale</c>. Redis comes from <c>ConnectionStrings:Redis</c>.</summary>
internal sealed class ScaleOptions
{
    /// <summary>
    /// Log each event's flow (received → authorized → emitted to N sockets on M nodes) with a correlation id, at
    /// Information level under the category <c>Bms.Server.Observability.EventTracer</c>. Default false.
    /// </summary>
    public bool TraceEvents { get; set; }

    /// <summary>The Prometheus scraping path. Default <c>/metrics</c>.</summary>
    public string MetricsPath { get; set; } = "/metrics";

    /// <summary>Redis channel prefix shared with the other nodes (and Node.js socket.io nodes). Default <c>socket.io</c>.</summary>
    public string RedisKey { get; set; } = "socket.io";
}
