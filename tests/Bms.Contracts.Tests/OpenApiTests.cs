using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bms.Contracts.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Bms.Contracts.Tests;

public sealed partial class OpenApiTests
{
    private static readonly string CommittedPath = Path.Combine(RepositoryPaths.Root, "docs", "openapi.json");

    [Fact]
    public async Task ServedDocumentIsTheCommittedDocsOpenApiJson()
    {
        // As Program runs it (and as the build writes the file): with the dashboard, whose REST calls are in the document.
        await using var host = await BmsServerHost.StartAsync(dashboard: true);
        var served = await ServedAsync(host);
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(CommittedPath))!;
        if (!JsonNode.DeepEquals(served, committed))
        {
            var copy = Path.Combine(Path.GetTempPath(), $"openapi.served.{Guid.NewGuid():N}.json");
            await File.WriteAllTextAsync(copy, served.ToJsonString(new() { WriteIndented = true }));
            Assert.Fail($"docs/openapi.json differs from /openapi/v1.json (served copy: {copy}): build src/Bms.Server (it writes the file) and commit it.");
        }
    }

    [Fact]
    public async Task EveryRestEndpointIsDescribedWithItsAuthAndProblemDetailsErrors()
    {
        await using var host = await BmsServerHost.StartAsync(dashboard: true);
        var document = await ServedAsync(host);
        var paths = document["paths"]!.AsObject();
        var endpoints = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .ToList();
        Assert.NotEmpty(endpoints);
        foreach (var endpoint in endpoints)
        {
            var path = RouteConstraint().Replace(endpoint.RoutePattern.RawText!.TrimEnd('/'), "{$1}");
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
            {
                var operation = paths[path]?[method.ToLowerInvariant()];
                Assert.True(operation is not null, $"{method} {path} is not in the OpenAPI document");
                var responses = operation!["responses"]!.AsObject();
                Assert.Contains(responses, r => r.Key.StartsWith('2'));
                var secured = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>() is not null
                    && endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is null;
                Assert.True(secured == (operation["security"] is not null), $"{method} {path}: security requirement");
                if (secured)
                {
                    Assert.Contains("401", responses.Select(r => r.Key));
                    Assert.Contains("403", responses.Select(r => r.Key));
                }

                foreach (var (status, response) in responses.Where(r => r.Key[0] is '4'))
                {
                    Assert.Equal("#/components/schemas/ApiProblemDetails",
                        response!["content"]?["application/problem+json"]?["schema"]?["$ref"]?.GetValue<string>());
                    var codes = Regex.Match(response["description"]!.GetValue<string>(), "code: (.*)\\.$").Groups[1].Value.Split(", ");
                    Assert.All(codes, c => Assert.Contains(c, ErrorCodes.All));
                }
            }
        }

        Assert.Equal("bearer", document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!.GetValue<string>());
    }

    [Fact]
    public async Task RequestAndResponseBodiesUseTheContractSchemas()
    {
        var document = JsonNode.Parse(await File.ReadAllTextAsync(CommittedPath))!;
        string? Ref(string path, string method, string part) => part == "request"
            ? document["paths"]![path]![method]!["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>()
            : document["paths"]![path]![method]!["responses"]![part]?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>();

        Assert.Equal("#/components/schemas/LoginRequest", Ref("/api/auth/login", "post", "request"));
        Assert.Equal("#/components/schemas/LoginResponse", Ref("/api/auth/login", "post", "200"));
        Assert.Equal("#/components/schemas/PrincipalDto", Ref("/api/auth/me", "get", "200"));
        Assert.Equal("#/components/schemas/TransactionDto", Ref("/api/transactions", "post", "201"));
        Assert.Equal("#/components/schemas/PosSyncRequest", Ref("/api/pos/sync", "post", "request"));
        Assert.Equal("#/components/schemas/PosSyncResponse", Ref("/api/pos/sync", "post", "200"));
        Assert.Equal("#/components/schemas/PosCatalogResponse", Ref("/api/pos/catalog", "get", "200"));
    }

    [Fact]
    public void TypeScriptPackageDeclaresEveryOpenApiSchemaWithTheSameFields()
    {
        var document = JsonNode.Parse(File.ReadAllText(CommittedPath))!;
        var declarations = File.ReadAllText(Path.Combine(RepositoryPaths.TypeScriptPackage, "index.d.ts"));
        var interfaces = Interface().Matches(declarations).ToDictionary(
            m => m.Groups[1].Value,
            m => Field().Matches(m.Groups[2].Value).Select(f => (Name: f.Groups[1].Value, Optional: f.Groups[2].Value == "?")).ToList());
        var schemas = document["components"]!["schemas"]!.AsObject();
        Assert.NotEmpty(schemas);
        foreach (var (name, schema) in schemas)
        {
            // Free-form JSON (filters, relayed reports): BCL types, no contract interface.
            if (name is "JsonObject" or "JsonElement")
            {
                continue;
            }

            Assert.True(interfaces.TryGetValue(name, out var fields), $"OpenAPI schema {name} has no interface in @bms/realtime-contracts");
            var properties = schema!["properties"]!.AsObject();
            Assert.Equal(properties.Select(p => p.Key).Order(), fields.Select(f => f.Name).Order());

            // A field OpenAPI lists as required (present and not null) is not optional in TypeScript.
            var required = schema["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToHashSet() ?? [];
            foreach (var field in fields.Where(f => f.Optional))
            {
                var type = properties[field.Name]!["type"];
                var nullable = type is JsonArray types ? types.Any(t => t!.GetValue<string>() == "null") : properties[field.Name]!["oneOf"] is not null || type is null;
                Assert.True(!required.Contains(field.Name) || nullable, $"{name}.{field.Name} is optional in TypeScript but required and non-null in OpenAPI");
            }
        }
    }

    [Fact]
    public async Task ApiReferencePageIsServedLocallyInDevelopment()
    {
        await using var host = await BmsServerHost.StartAsync();
        var html = await host.Http.GetStringAsync("/docs/api/index.html").WaitAsync(BmsServerHost.Timeout);
        var assets = Asset().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(assets);
        Assert.DoesNotContain(assets, a => a.Contains("//", StringComparison.Ordinal));
        foreach (var asset in assets)
        {
            using var response = await host.Http.GetAsync(new Uri(new Uri(host.BaseAddress, "/docs/api/"), asset)).WaitAsync(BmsServerHost.Timeout);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{asset}: {response.StatusCode}");
        }

        var config = await host.Http.GetStringAsync("/docs/api/index.js").WaitAsync(BmsServerHost.Timeout);
        Assert.Contains("\"/openapi/v1.json\"", config);
    }

    [Fact]
    public async Task ApiReferencePageIsNotServedInProductionButTheDocumentIs()
    {
        await using var host = await BmsServerHost.StartAsync(
            new Dictionary<string, string> { ["Bms:Jwt:SigningKey"] = Convert.ToBase64String(Guid.NewGuid().ToByteArray()) + Convert.ToBase64String(Guid.NewGuid().ToByteArray()) },
            environment: "Production");
        using var page = await host.Http.GetAsync("/docs/api/index.html").WaitAsync(BmsServerHost.Timeout);
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        using var document = await host.Http.GetAsync("/openapi/v1.json").WaitAsync(BmsServerHost.Timeout);
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
    }

    private static async Task<JsonNode> ServedAsync(BmsServerHost host) =>
        JsonNode.Parse(await host.Http.GetStringAsync("/openapi/v1.json").WaitAsync(BmsServerHost.Timeout))!;

    [GeneratedRegex(@"\{(\w+)(:[^}]*)?\}")]
    private static partial Regex RouteConstraint();

    [GeneratedRegex(@"export interface (\w+)(?:<[^>]*>)? \{\n((?:  [^\n]*\n)*)\}")]
    private static partial Regex Interface();

    [GeneratedRegex(@"^  (\w+)(\??):", RegexOptions.Multiline)]
    private static partial Regex Field();

    [GeneratedRegex("(?:src|href)=\"([^\"]+)\"")]
    private static partial Regex Asset();
}
