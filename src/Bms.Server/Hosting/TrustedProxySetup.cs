using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Bms.Server.Hosting;

/// <summary>
/// Honours <c>X-Forwarded-For</c>/<c>X-Forwarded-Proto</c> (and RFC 7239 <c>Forwarded</c>) only from the proxies listed
/// in <c>Bms:TrustedProxies</c> (addresses such as <c>10.0.0.5</c> or networks such as <c>10.0.0.0/24</c>). Default:
/// none, so no forwarded header is believed and every limit is charged to the TCP peer. The loopback defaults of
/// ASP.NET Core are cleared: a proxy on the same host must be listed (<c>127.0.0.1</c>, <c>::1</c>).
/// </summary>
internal static class TrustedProxySetup
{
    public static void AddBmsTrustedProxies(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<BmsServerOptions>>((o, server) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();

            // Each hop is checked against the trusted list, so a chain of trusted proxies may be any length.
            o.ForwardLimit = null;
            foreach (var entry in server.Value.TrustedProxies)
            {
                if (entry.Contains('/', StringComparison.Ordinal))
                {
                    o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(entry));
                }
                else
                {
                    o.KnownProxies.Add(IPAddress.Parse(entry));
                }
            }

            // With both lists empty the middleware would believe every peer: honour nothing instead.
            if (o.KnownProxies.Count == 0 && o.KnownIPNetworks.Count == 0)
            {
                o.ForwardedHeaders = ForwardedHeaders.None;
            }
        });
        services.AddSingleton<ClientAddressResolver>();
    }

    /// <summary>Whether every entry is an IP address or a CIDR network.</summary>
    public static bool AreValid(IEnumerable<string> entries) =>
        entries.All(e => e.Contains('/', StringComparison.Ordinal) ? System.Net.IPNetwork.TryParse(e, out _) : IPAddress.TryParse(e, out _));

    /// <summary>First in the pipeline: the client address and scheme every later stage (limits, cookies) sees.</summary>
    public static void UseBmsTrustedProxies(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        if (options.ForwardedHeaders == ForwardedHeaders.None)
        {
            return;
        }

        app.Use((context, next) =>
        {
            ClientAddressResolver.TranslateForwarded(context.Request);
            return next(context);
        });
        app.UseForwardedHeaders();
    }
}
