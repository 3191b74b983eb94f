using Bms.Realtime.Server.DirectWebSocketPath;
using Bms.Realtime.Server.Engine;
using Bms.Realtime.Server.Hosting;
using Bms.Realtime.Server.Namespaces;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Engine.IO endpoint.</summary>
public static class RealtimeEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves the Socket.IO server at <paramref name="path"/> (default <c>/socket.io</c>, with or without the trailing
    /// slash), for both long-polling and WebSocket. Adds the WebSocket middleware when given an application builder.
    /// Fresh WebSocket handshakes for this path are served on the direct path unless
    /// <see cref="Bms.Realtime.Server.Hosting.RealtimeServerOptions.DirectWebSocket"/> is off or conventions added to
    /// the returned builder need the HTTP pipeline (authorization, CORS, rate limiting).
    /// </summary>
    public static IEndpointConventionBuilder MapBmsRealtime(this IEndpointRouteBuilder endpoints, string path = "/socket.io")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var server = endpoints.ServiceProvider.GetRequiredService<RealtimeServer>();
        return MapEngine(endpoints, path, server.Engine);
    }

    /// <summary>Serves a raw Engine.IO server (no Socket.IO layer), e.g. for the Engine.IO conformance suite.</summary>
    public static IEndpointConventionBuilder MapEngineIo(this IEndpointRouteBuilder endpoints, string path, EngineServer engine)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(engine);
        return MapEngine(endpoints, path, engine);
    }

    private static IEndpointConventionBuilder MapEngine(IEndpointRouteBuilder endpoints, string path, EngineServer engine)
    {
        if (endpoints is IApplicationBuilder app)
        {
            app.UseWebSockets();
        }

        // Routing matches the path with and without its trailing slash.
        var trimmed = path.TrimEnd('/');
        var builder = endpoints.Map(trimmed, engine.HandleRequestAsync);
        if (endpoints.ServiceProvider.GetService<DirectWebSocketRoutes>() is { } routes)
        {
            // The direct WebSocket path skips the HTTP pipeline: an endpoint given authorization, CORS or
            // rate-limiting metadata keeps every request on HTTP, where that metadata is enforced. The route is
            // enabled only once the endpoint is built with all its conventions (routing builds its endpoints when
            // the application's pipeline is built, before Kestrel accepts connections).
            routes.Set(trimmed, engine, enabled: false);
            builder.Finally(endpoint => routes.Set(trimmed, engine, enabled: !endpoint.Metadata.Any(NeedsHttpPipeline)));
        }

        return builder;
    }

    private static bool NeedsHttpPipeline(object metadata) =>
        metadata is IAuthorizeData or IAuthorizationRequirementData or ICorsMetadata
        || metadata.GetType().Namespace == "Microsoft.AspNetCore.RateLimiting";
}
