using Bms.Server.Cluster;
using Bms.Server.Data.Postgres;
using Bms.Server.Data;
using Bms.Server.Realtime;
namespace Bms.Server.Observability;

/// <summary>
/// Who may read the Prometheus endpoint (<c>Bms:Scale:MetricsPath</c>, default <c>/metrics</c>), bound from
/// <c>Bms:Metrics</c> and validated at start. Metrics name namespaces, terminals and traffic volumes, so they are not
/// public by default.
/// </summary>
public sealed class MetricsOptions
{
    /// <summary>
    /// Require a caller: an admin's access token, or <see cref="ScrapeToken"/> as a bearer token. Default true. Set
    /// false only when the node's port is reachable from the monitoring network alone (the documented nginx
    /// configuration does not forward the metrics path).
    /// </summary>
    public bool RequireAuth { get; set; } = true;

    /// <summary>
    /// A static bearer token for the scraper (Prometheus <c>authorization: credentials</c>), at least 32 characters.
    /// Default none (only admins' access tokens are accepted).
    /// </summary>
    public string? ScrapeToken { get; set; }
}
