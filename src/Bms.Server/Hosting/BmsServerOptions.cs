namespace Bms.Server.Hosting;

/// <summary>Top-level backend settings, bound from <c>Bms</c>.</summary>
public sealed class BmsServerOptions
{
    /// <summary>
    /// Seed the demo shop into an empty database at start. Default: on in the Development environment (what
    /// <c>dotnet run</c> uses), off elsewhere unless set to <c>true</c>.
    /// </summary>
    public bool? DemoData { get; set; }

    /// <summary>Origins allowed by CORS for the REST API and the Socket.IO endpoint. Default: none (same origin only).</summary>
    public List<string> CorsOrigins { get; set; } = [];

    /// <summary>
    /// Proxies (IP addresses, or CIDR networks such as <c>10.0.0.0/24</c>) whose <c>X-Forwarded-For</c>,
    /// <c>X-Forwarded-Proto</c> and <c>Forwarded</c> headers are believed. Default: none (forwarded headers are ignored
    /// and the TCP peer is the client). List the load balancer here when it terminates TLS or sits in front of the
    /// server, or every client is charged the balancer's address. See docs/SECURITY.md.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];
}
