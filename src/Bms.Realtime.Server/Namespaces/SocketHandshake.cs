using System.Net;
using System.Text.Json;
using Bms.Realtime.Server.Engine;

namespace Bms.Realtime.Server.Namespaces;

/// <summary>What a socket presented when it joined its namespace. Immutable.</summary>
public sealed class SocketHandshake
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    internal SocketHandshake(HandshakeRequest request, JsonElement? auth)
    {
        Request = request;
        Auth = auth ?? EmptyObject;
    }

    /// <summary>The CONNECT auth payload: an object, empty when the client sent none (as the reference server).</summary>
    public JsonElement Auth { get; }

    /// <summary>The HTTP request that opened the underlying connection.</summary>
    public HandshakeRequest Request { get; }

    /// <summary>Request headers.</summary>
    public IReadOnlyDictionary<string, string> Headers => Request.Headers;

    /// <summary>Query string parameters.</summary>
    public IReadOnlyDictionary<string, string> Query => Request.Query;

    /// <summary>The client's address.</summary>
    public IPAddress? Address => Request.RemoteAddress;

    /// <summary>When the connection was opened.</summary>
    public DateTimeOffset Time => Request.Time;

    /// <summary>Reads a string property of the auth payload, or null.</summary>
    public string? GetAuthString(string name) =>
        Auth.ValueKind == JsonValueKind.Object && Auth.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
