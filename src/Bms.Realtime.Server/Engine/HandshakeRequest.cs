using System.Net;
using System.Security.Claims;
using Bms.Realtime.Server.DirectWebSocketPath;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Bms.Realtime.Server.Engine;

/// <summary>
/// A snapshot of the HTTP request that opened an Engine.IO session. Immutable; thread-safe. Headers and query are
/// materialised on first use (an idle session that never reads them keeps only the raw data).
/// </summary>
public sealed class HandshakeRequest
{
    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    // HTTP path: header names and values referenced from Kestrel's collection (no dictionary copy).
    // Direct path: the raw header section, parsed on first use.
    private readonly string[]? _headerPairs;
    private readonly byte[]? _rawHeaders;
    private IReadOnlyDictionary<string, string>? _headers;
    private IReadOnlyDictionary<string, string>? _query;
    private ClaimsPrincipal? _user;

    internal HandshakeRequest(HttpContext context, DateTimeOffset time)
    {
        var source = context.Request.Headers;
        var pairs = new string[source.Count * 2];
        var i = 0;
        foreach (var header in source)
        {
            pairs[i++] = header.Key;
            pairs[i++] = header.Value.ToString();
        }

        _headerPairs = i == pairs.Length ? pairs : pairs[..i];
        RemoteAddress = context.Connection.RemoteIpAddress;
        Url = context.Request.Path + context.Request.QueryString;
        Secure = context.Request.IsHttps;
        Time = time;
        _user = context.User;
    }

    /// <summary>A handshake taken over by the direct WebSocket path: <paramref name="rawHeaders"/> is the ASCII header section.</summary>
    internal HandshakeRequest(byte[] rawHeaders, string url, IPAddress? remoteAddress, DateTimeOffset time)
    {
        _rawHeaders = rawHeaders;
        Url = url;
        RemoteAddress = remoteAddress;
        Secure = false;
        Time = time;
    }

    /// <summary>Request headers (case-insensitive names; repeated values joined by commas).</summary>
    public IReadOnlyDictionary<string, string> Headers
    {
        get
        {
            if (Volatile.Read(ref _headers) is { } headers)
            {
                return headers;
            }

            var pairs = _headerPairs ?? WebSocketHandshakeParser.ParseHeaderPairs(_rawHeaders!);
            var built = new Dictionary<string, string>(pairs.Length / 2, StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < pairs.Length; i += 2)
            {
                built[pairs[i]] = built.TryGetValue(pairs[i], out var previous) ? previous + "," + pairs[i + 1] : pairs[i + 1];
            }

            return Interlocked.CompareExchange(ref _headers, built, null) ?? built;
        }
    }

    /// <summary>Query string parameters (decoded; repeated values joined by commas).</summary>
    public IReadOnlyDictionary<string, string> Query
    {
        get
        {
            if (Volatile.Read(ref _query) is { } query)
            {
                return query;
            }

            var mark = Url.IndexOf('?', StringComparison.Ordinal);
            IReadOnlyDictionary<string, string> built = Empty;
            if (mark >= 0 && mark < Url.Length - 1)
            {
                var parsed = QueryHelpers.ParseQuery(Url[mark..]);
                var copy = new Dictionary<string, string>(parsed.Count, StringComparer.Ordinal);
                foreach (var item in parsed)
                {
                    copy[item.Key] = item.Value.ToString();
                }

                built = copy;
            }

            return Interlocked.CompareExchange(ref _query, built, null) ?? built;
        }
    }

    /// <summary>The client's IP address as seen by Kestrel.</summary>
    public IPAddress? RemoteAddress { get; }

    /// <summary>The request path and query.</summary>
    public string Url { get; }

    /// <summary>True over HTTPS/WSS.</summary>
    public bool Secure { get; }

    /// <summary>When the handshake happened.</summary>
    public DateTimeOffset Time { get; }

    /// <summary>
    /// The ASP.NET Core user of the handshake request (set when authentication middleware ran). Anonymous for a
    /// session opened on the direct WebSocket path, which runs no HTTP middleware.
    /// </summary>
    public ClaimsPrincipal User
    {
        get
        {
            if (Volatile.Read(ref _user) is { } user)
            {
                return user;
            }

            var anonymous = new ClaimsPrincipal(new ClaimsIdentity());
            return Interlocked.CompareExchange(ref _user, anonymous, null) ?? anonymous;
        }
    }
}
