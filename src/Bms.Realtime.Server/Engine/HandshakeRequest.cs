using System.Net;
using Microsoft.AspNetCore.Http;

namespace Bms.Realtime.Server.Engine;

/// <summary>A snapshot of the HTTP request that opened an Engine.IO session. Immutable.</summary>
public sealed class HandshakeRequest
{
    internal HandshakeRequest(HttpContext context, DateTimeOffset time)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in context.Request.Headers)
        {
            headers[header.Key] = header.Value.ToString();
        }

        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in context.Request.Query)
        {
            query[item.Key] = item.Value.ToString();
        }

        Headers = headers;
        Query = query;
        RemoteAddress = context.Connection.RemoteIpAddress;
        Url = context.Request.Path + context.Request.QueryString;
        Secure = context.Request.IsHttps;
        Time = time;
        User = context.User;
    }

    /// <summary>Request headers (case-insensitive names; repeated values joined by commas).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>Query string parameters.</summary>
    public IReadOnlyDictionary<string, string> Query { get; }

    /// <summary>The client's IP address as seen by Kestrel.</summary>
    public IPAddress? RemoteAddress { get; }

    /// <summary>The request path and query.</summary>
    public string Url { get; }

    /// <summary>True over HTTPS/WSS.</summary>
    public bool Secure { get; }

    /// <summary>When the handshake happened.</summary>
    public DateTimeOffset Time { get; }

    /// <summary>The ASP.NET Core user of the handshake request (set when authentication middleware ran).</summary>
    public System.Security.Claims.ClaimsPrincipal User { get; }
}
