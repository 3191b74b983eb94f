using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Bms.Server.Api;

/// <summary>
/// Completes the generated OpenAPI document: title and description, the JWT bearer scheme, the security requirement of
/// every endpoint that needs a token, and the Problem Details errors each endpoint can answer with their <c>code</c>
/// values (<see cref="ErrorCodes"/>), all with the <see cref="ApiProblemDetails"/> schema.
/// </summary>
internal static class OpenApiTransformers
{
    private const string Bearer = "Bearer";
    private const string ProblemJson = "application/problem+json";

    /// <summary>Errors particular to one endpoint (<c>METHOD path</c>), beyond those every endpoint of its kind has.</summary>
    private static readonly Dictionary<string, (int Status, string[] Codes)[]> Particular = new(StringComparer.OrdinalIgnoreCase)
    {
        ["POST api/auth/login"] = [(401, [ErrorCodes.InvalidCredentials, ErrorCodes.AccountDisabled])],
        ["POST api/auth/refresh"] = [(401, [ErrorCodes.InvalidRefreshToken, ErrorCodes.RefreshTokenExpired, ErrorCodes.AccountDisabled])],
        ["POST api/auth/terminal"] = [(401, [ErrorCodes.InvalidCredentials, ErrorCodes.AccountDisabled])],
        ["POST api/products"] = [(409, [ErrorCodes.DuplicateSku])],
        ["PUT api/products/{id}"] = [(409, [ErrorCodes.DuplicateSku])],
        ["POST api/transactions"] = [(404, [ErrorCodes.NotFound]), (409, [ErrorCodes.IdempotencyKeyReused])],
        ["POST api/inventory/adjust"] = [(404, [ErrorCodes.NotFound])],
        ["POST api/pos/sync"] = [(413, [ErrorCodes.PayloadTooLarge])],
    };

    public static Task DescribeDocumentAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "BMS Realtime API";
        document.Info.Description =
            "REST API of the BMS Realtime backend. Errors are RFC 9457 Problem Details (application/problem+json) with a " +
            "machine-readable `code`. Real-time events use Socket.IO on /socket.io (namespaces /main, /pos, /admin); " +
            "their contracts are in the Bms.Contracts package and the @bms/realtime-contracts npm package.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "The accessToken of POST /api/auth/login or POST /api/auth/terminal.",
        };

        // Generated servers depend on the request's host; clients use their own base address.
        document.Servers = [];
        return Task.CompletedTask;
    }

    public static async Task DescribeOperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var path = description.RelativePath ?? "";
        if (!path.StartsWith("api/", StringComparison.Ordinal))
        {
            return;
        }

        var document = context.Document!;
        if (document.Components?.Schemas?.ContainsKey(nameof(ApiProblemDetails)) != true)
        {
            document.AddComponent(nameof(ApiProblemDetails), await context.GetOrCreateSchemaAsync(typeof(ApiProblemDetails), null, cancellationToken));
        }

        var errors = new SortedDictionary<int, SortedSet<string>>();
        void Add(int status, params string[] codes)
        {
            if (!errors.TryGetValue(status, out var set))
            {
                errors[status] = set = new SortedSet<string>(StringComparer.Ordinal);
            }

            set.UnionWith(codes);
        }

        var metadata = description.ActionDescriptor.EndpointMetadata;
        var secured = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        if (secured)
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, document)] = [] });
            Add(401, ErrorCodes.Unauthorized);
            Add(403, ErrorCodes.Forbidden);
        }

        if (description.HttpMethod is "POST" or "PUT" || description.ParameterDescriptions.Count > 0)
        {
            Add(400, ErrorCodes.ValidationFailed, ErrorCodes.MalformedRequest);
        }

        if (path.Contains("{id}", StringComparison.Ordinal))
        {
            Add(404, ErrorCodes.NotFound);
        }

        foreach (var (status, codes) in Particular.GetValueOrDefault($"{description.HttpMethod} {path.TrimEnd('/')}") ?? [])
        {
            Add(status, codes);
        }

        operation.Responses ??= [];
        foreach (var (status, codes) in errors)
        {
            operation.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = $"Problem Details; code: {string.Join(", ", codes)}.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [ProblemJson] = new() { Schema = new OpenApiSchemaReference(nameof(ApiProblemDetails), document) },
                },
            };
        }
    }
}
