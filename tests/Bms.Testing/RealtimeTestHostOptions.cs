using Bms.Realtime.Server.Namespaces;
using Bms.Realtime.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Bms.Testing;

/// <summary>What a <see cref="RealtimeTestHost"/> varies per test. Every hook runs again on a restart.</summary>
public sealed record RealtimeTestHostOptions
{
    /// <summary>Server options (ping interval, recovery, CORS, limits …).</summary>
    public Action<RealtimeServerOptions>? Configure { get; init; }

    /// <summary>The real-time builder, for an adapter: <c>b => b.AddRedisAdapter(…)</c>.</summary>
    public Action<IRealtimeBuilder>? Realtime { get; init; }

    /// <summary>More services or configuration (authentication, a <c>TimeProvider</c> …).</summary>
    public Action<WebApplicationBuilder>? Builder { get; init; }

    /// <summary>Kestrel options beyond the loopback listener (limits, connection middleware).</summary>
    public Action<KestrelServerOptions>? Kestrel { get; init; }

    /// <summary>Middleware that runs before the Socket.IO endpoint (request counters, authentication).</summary>
    public Action<WebApplication>? Middleware { get; init; }

    /// <summary>Conventions on the Socket.IO endpoint (<c>RequireAuthorization()</c>).</summary>
    public Action<Microsoft.AspNetCore.Builder.IEndpointConventionBuilder>? Endpoint { get; init; }

    /// <summary>More endpoints beside Socket.IO.</summary>
    public Action<WebApplication>? Endpoints { get; init; }

    /// <summary>Namespaces, middleware and handlers, set up before the server starts listening.</summary>
    public Action<RealtimeServer>? Setup { get; init; }

    /// <summary>How long a stop may wait for open connections before they are cut (default 5 s).</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
