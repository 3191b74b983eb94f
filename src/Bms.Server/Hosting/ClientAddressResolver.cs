using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Bms.Server.Hosting;

/// <summary>
/// The client address of a request that may have come through proxies: <c>X-Forwarded-For</c> (or, without it, the
/// <c>for=</c> values of RFC 7239 <c>Forwarded</c>) is honoured only while the hop that sent it is a trusted proxy
/// (<c>Bms:TrustedProxies</c>), walking from the right, exactly as ASP.NET Core's forwarded-headers middleware does for
/// HTTP requests. Used where that middleware does not run (the direct WebSocket path of <c>/socket.io/</c>) and to
/// translate <c>Forwarded</c> for it. Singleton; thread-safe.
/// </summary>
internal sealed class ClientAddressResolver(IOptions<ForwardedHeadersOptions> options)
{
    /// <summary>The address of the client behind <paramref name="peer"/> (the TCP peer) given the request headers.</summary>
    public IPAddress? Resolve(IPAddress? peer, IReadOnlyDictionary<string, string> headers)
    {
        var current = Normalize(peer);
        if (current is null || !IsTrusted(current))
        {
            return current;
        }

        string[] hops;
        if (headers.TryGetValue(ForwardedHeadersDefaults.XForwardedForHeaderName, out var forwardedFor) && forwardedFor.Length > 0)
        {
            hops = forwardedFor.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        }
        else if (headers.TryGetValue("Forwarded", out var forwarded) && forwarded.Length > 0)
        {
            hops = ParseForwarded(forwarded).For;
        }
        else
        {
            return current;
        }

        for (var i = hops.Length - 1; i >= 0 && IsTrusted(current); i--)
        {
            if (!TryParseHop(hops[i], out var hop))
            {
                break;
            }

            current = hop;
        }

        return current;
    }

    /// <summary>Whether <paramref name="address"/> is a configured trusted proxy (or inside a trusted network).</summary>
    public bool IsTrusted(IPAddress address)
    {
        var o = options.Value;
        address = Normalize(address)!;
        return o.KnownProxies.Any(p => Normalize(p)!.Equals(address)) || o.KnownIPNetworks.Any(n => n.Contains(address));
    }

    /// <summary>
    /// The rate-limiting key of an address: IPv4 addresses one by one; IPv6 addresses by their /64 network, since one
    /// client usually holds a whole /64 and could otherwise rotate through it.
    /// </summary>
    public static string PartitionKey(IPAddress? address)
    {
        address = Normalize(address);
        if (address is null)
        {
            return "unknown";
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>
    /// The <c>for=</c> and <c>proto=</c> values of an RFC 7239 <c>Forwarded</c> header, one per element (a missing
    /// parameter gives an empty string), quotes removed.
    /// </summary>
    public static (string[] For, string[] Proto) ParseForwarded(string header)
    {
        var elements = header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var forValues = new string[elements.Length];
        var protoValues = new string[elements.Length];
        for (var i = 0; i < elements.Length; i++)
        {
            forValues[i] = "";
            protoValues[i] = "";
            foreach (var pair in elements[i].Split(';', StringSplitOptions.TrimEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    continue;
                }

                var value = pair[(equals + 1)..].Trim().Trim('"');
                var name = pair[..equals].Trim();
                if (name.Equals("for", StringComparison.OrdinalIgnoreCase))
                {
                    forValues[i] = value;
                }
                else if (name.Equals("proto", StringComparison.OrdinalIgnoreCase))
                {
                    protoValues[i] = value;
                }
            }
        }

        return (forValues, protoValues);
    }

    /// <summary>
    /// For HTTP requests: when a request carries RFC 7239 <c>Forwarded</c> and no <c>X-Forwarded-For</c>, writes its
    /// values as <c>X-Forwarded-For</c>/<c>X-Forwarded-Proto</c> for the forwarded-headers middleware that runs next,
    /// which then applies them only from trusted proxies.
    /// </summary>
    public static void TranslateForwarded(HttpRequest request)
    {
        var headers = request.Headers;
        if (headers.ContainsKey(ForwardedHeadersDefaults.XForwardedForHeaderName) || headers["Forwarded"].ToString() is not { Length: > 0 } forwarded)
        {
            return;
        }

        var (forValues, protoValues) = ParseForwarded(forwarded);
        headers[ForwardedHeadersDefaults.XForwardedForHeaderName] = string.Join(", ", forValues);
        if (!headers.ContainsKey(ForwardedHeadersDefaults.XForwardedProtoHeaderName) && protoValues.All(p => p.Length > 0))
        {
            headers[ForwardedHeadersDefaults.XForwardedProtoHeaderName] = string.Join(", ", protoValues);
        }
    }

    private static bool TryParseHop(string value, out IPAddress address)
    {
        address = IPAddress.None;
        if (IPEndPoint.TryParse(value, out var endPoint))
        {
            address = Normalize(endPoint.Address)!;
            return true;
        }

        return false;
    }

    private static IPAddress? Normalize(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
}
