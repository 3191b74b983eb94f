using System.Text.Json;

namespace Bms.Web.Client.Models;

/// <summary>One socket of <c>GET /api/admin/sockets</c>: who is connected where, on which transport.</summary>
public sealed record ConnectedSocket
{
    /// <summary>The socket id.</summary>
    public string Id { get; init; } = "";

    /// <summary>The namespace, e.g. <c>/main</c>.</summary>
    public string Namespace { get; init; } = "";

    /// <summary>The <c>user</c> entry the server keeps for the socket (kind, id, name, roles).</summary>
    public JsonElement User { get; init; }

    /// <summary>The rooms the socket is in (its own id included).</summary>
    public IReadOnlyList<string> Rooms { get; init; } = [];

    /// <summary>The transport, e.g. <c>websocket</c>.</summary>
    public string Transport { get; init; } = "";

    /// <summary>When the socket connected.</summary>
    public DateTimeOffset ConnectedAt { get; init; }

    /// <summary><c>user</c> or <c>terminal</c>.</summary>
    public string Kind => Text("kind");

    /// <summary>The user or terminal name.</summary>
    public string Name => Text("name");

    /// <summary>The roles of the user.</summary>
    public IReadOnlyList<string> Roles => User.ValueKind == JsonValueKind.Object && User.TryGetProperty("roles", out var r) && r.ValueKind == JsonValueKind.Array
        ? [.. r.EnumerateArray().Select(e => e.GetString() ?? "")]
        : [];

    private string Text(string name) =>
        User.ValueKind == JsonValueKind.Object && User.TryGetProperty(name, out var v) ? v.ToString() : "";
}
