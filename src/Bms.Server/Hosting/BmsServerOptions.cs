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
}
