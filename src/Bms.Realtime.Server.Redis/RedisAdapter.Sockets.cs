using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Bms.Realtime.Protocol;
using Bms.Realtime.Server.Adapters;

namespace Bms.Realtime.Server.Redis;

public sealed partial class RedisAdapter
{
    /// <summary>
    /// One socket of a REMOTE_FETCH answer, as the Node adapter writes it (<c>{id, handshake, rooms, data}</c>), plus
    /// <c>transport</c>, <c>connectedAt</c> and <c>nodeId</c>, which Node peers ignore.
    /// </summary>
    private static void WriteSocket(Utf8JsonWriter w, SocketDescriptor socket)
    {
        w.WriteStartObject();
        w.WriteString("id", socket.Id);
        w.WriteStartObject("handshake");
        if (socket.Handshake is { } handshake)
        {
            w.WriteStartObject("headers");
            foreach (var (name, value) in handshake.Headers)
            {
                w.WriteString(name, value);
            }

            w.WriteEndObject();
            w.WriteString("time", handshake.Time.ToString("R", CultureInfo.InvariantCulture));
            w.WriteString("address", handshake.Address?.ToString() ?? string.Empty);
            w.WriteBoolean("xdomain", handshake.Headers.ContainsKey("origin"));
            w.WriteBoolean("secure", handshake.Request.Secure);
            w.WriteNumber("issued", handshake.Time.ToUnixTimeMilliseconds());
            w.WriteString("url", handshake.Request.Url);
            w.WriteStartObject("query");
            foreach (var (name, value) in handshake.Query)
            {
                w.WriteString(name, value);
            }

            w.WriteEndObject();
            w.WritePropertyName("auth");
            handshake.Auth.WriteTo(w);
        }

        w.WriteEndObject();
        WriteStrings(w, "rooms", socket.Rooms);
        w.WriteStartObject("data");
        foreach (var (key, value) in socket.Data)
        {
            JsonElement element;
            try
            {
                element = JsonSerializer.SerializeToElement(value, SocketJson.Options);
            }
            catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
            {
                // Data that cannot travel (a principal, a delegate) stays on its node.
                continue;
            }

            w.WritePropertyName(key);
            element.WriteTo(w);
        }

        w.WriteEndObject();
        w.WriteString("transport", socket.Transport);
        w.WriteString("connectedAt", socket.ConnectedAt);
        w.WriteString("nodeId", socket.NodeId);
        w.WriteEndObject();
    }

    private SocketDescriptor? ReadSocket(JsonElement socket)
    {
        if (socket.ValueKind != JsonValueKind.Object || !socket.TryGetProperty("id", out var id) || id.GetString() is not { } sid)
        {
            return null;
        }

        var data = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (socket.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in d.EnumerateObject())
            {
                data[property.Name] = property.Value.Clone();
            }
        }

        DateTimeOffset connectedAt = default;
        if (socket.TryGetProperty("connectedAt", out var c) && c.ValueKind == JsonValueKind.String && c.TryGetDateTimeOffset(out var at))
        {
            connectedAt = at;
        }
        else if (socket.TryGetProperty("handshake", out var h) && h.ValueKind == JsonValueKind.Object
                 && h.TryGetProperty("issued", out var issued) && issued.TryGetInt64(out var ms))
        {
            connectedAt = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }

        return new SocketDescriptor(
            sid,
            Namespace.Name,
            [.. ReadStrings(socket, "rooms")],
            data,
            null,
            socket.TryGetProperty("transport", out var t) && t.GetString() is { } transport ? transport : "unknown",
            connectedAt,
            socket.TryGetProperty("nodeId", out var n) && n.GetString() is { } node ? node : "remote");
    }
}
