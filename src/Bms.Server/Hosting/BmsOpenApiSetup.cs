using Bms.Server.Api;

namespace Bms.Server.Hosting;

/// <summary>
/// The OpenAPI document of the REST API at <c>/openapi/v1.json</c> (every environment; also written to
/// <c>docs/openapi.json</c> at build) and, in Development, an API reference page at <c>/docs/api</c> (Swagger UI,
/// served from the application itself, no CDN).
/// </summary>
internal static class BmsOpenApiSetup
{
    /// <summary>The document name: served at <c>/openapi/v1.json</c>.</summary>
    public const string DocumentName = "v1";

    /// <summary>True while the build runs the application under the GetDocument tool to write docs/openapi.json.</summary>
    private static bool IsBuildTimeDocument => System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name == "GetDocument.Insider";

    /// <summary>
    /// Under the GetDocument tool the application runs as Development, so no production secret is needed to describe
    /// the API.
    /// </summary>
    public static string[] ArgumentsForBuildTimeDocument(string[] args) =>
        IsBuildTimeDocument ? [.. args, "--environment", "Development"] : args;

    /// <summary>Registers the document. Under the GetDocument tool the backend's own background services are removed (no database is touched).</summary>
    public static void AddBmsOpenApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(DocumentName, o =>
        {
            // The REST API only (the dashboard's own endpoints are not part of it).
            o.ShouldInclude = d => d.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            o.AddDocumentTransformer(OpenApiTransformers.DescribeDocumentAsync);
            o.AddOperationTransformer(OpenApiTransformers.DescribeOperationAsync);
        });
        if (IsBuildTimeDocument)
        {
            foreach (var service in builder.Services.Where(d => d.ServiceType == typeof(IHostedService)
                && d.ImplementationType?.Assembly == typeof(BmsOpenApiSetup).Assembly).ToList())
            {
                builder.Services.Remove(service);
            }
        }
    }

    public static void MapBmsOpenApi(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        if (app.Environment.IsDevelopment())
        {
            app.UseSwaggerUI(o =>
            {
                o.RoutePrefix = "docs/api";
                o.DocumentTitle = "BMS Realtime API";
                o.SwaggerEndpoint($"/openapi/{DocumentName}.json", "BMS Realtime API v1");
            });
        }
    }
}
