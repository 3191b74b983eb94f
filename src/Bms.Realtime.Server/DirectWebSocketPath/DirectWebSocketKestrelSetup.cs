using Bms.Realtime.Server.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Bms.Realtime.Server.DirectWebSocketPath;

/// <summary>
/// Adds <see cref="DirectWebSocketMiddleware"/> to every Kestrel endpoint through <c>ConfigureEndpointDefaults</c>, so
/// endpoints from <c>UseUrls</c>/<c>--urls</c>/configuration and from <c>Listen</c> calls made after it get it.
/// Registered first among Kestrel's option setups by <c>AddBmsRealtime</c>, so <c>Listen</c> calls in later setups
/// (such as <c>UseKestrel(k => k.Listen(…))</c>) see it too. An application that calls
/// <c>ConfigureEndpointDefaults</c> itself replaces it (Kestrel keeps one default action).
/// </summary>
internal sealed class DirectWebSocketKestrelSetup(IServiceProvider services, IOptions<RealtimeServerOptions> options) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        if (!options.Value.DirectWebSocket)
        {
            return;
        }

        kestrel.ConfigureEndpointDefaults(endpoint =>
            endpoint.Use(next => new DirectWebSocketMiddleware(next, endpoint, services).OnConnectionAsync));
    }
}
