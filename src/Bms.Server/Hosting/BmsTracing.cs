using System.Diagnostics;
using Bms.Realtime.Server.Hosting;
using Bms.Realtime.Server.Redis;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Bms.Server.Hosting;

/// <summary>
/// The backend's <see cref="ActivitySource"/> (<see cref="ActivitySourceName"/>) and its OpenTelemetry tracing. One
/// trace follows a write from the REST request (<c>Microsoft.AspNetCore</c>) through the database commit
/// (<c>db commit</c>) and the domain event (<c>bms.event</c>) to each Socket.IO emit (<c>socket.io emit</c>,
/// <see cref="RealtimeTracing"/>) and, with Redis, to the other nodes (<see cref="RedisAdapterTracing"/>).
/// Export is off unless <c>Bms:Tracing:OtlpEndpoint</c> (or <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>) is set.
/// </summary>
internal static class BmsTracing
{
    public const string ActivitySourceName = "Bms.Server";

    /// <summary>The span of one domain event's delivery to every sink.</summary>
    public const string EventActivityName = "bms.event";

    public static readonly ActivitySource Source = new(ActivitySourceName);

    /// <summary>The sources of one write's trace, in order.</summary>
    public static readonly string[] Sources =
        ["Microsoft.AspNetCore", ActivitySourceName, RealtimeTracing.ActivitySourceName, RedisAdapterTracing.ActivitySourceName];

    /// <summary>Adds OpenTelemetry tracing with the OTLP exporter when an endpoint is configured; otherwise nothing.</summary>
    public static void AddBmsTracing(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var endpoint = configuration["Bms:Tracing:OtlpEndpoint"] ?? configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return;
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
        {
            throw new InvalidOperationException($"Bms:Tracing:OtlpEndpoint '{endpoint}' is not an absolute URL.");
        }

        var protocol = string.Equals(configuration["Bms:Tracing:OtlpProtocol"], "http/protobuf", StringComparison.OrdinalIgnoreCase)
            ? OtlpExportProtocol.HttpProtobuf
            : OtlpExportProtocol.Grpc;
        var ratio = configuration.GetValue("Bms:Tracing:SampleRatio", 1.0);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(configuration["Bms:Tracing:ServiceName"] ?? "bms-server"))
            .WithTracing(tracing => tracing
                .AddSource(Sources)
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(Math.Clamp(ratio, 0, 1))))
                .AddOtlpExporter(o =>
                {
                    o.Endpoint = uri;
                    o.Protocol = protocol;
                }));
    }
}
