using System.Collections;
using Bms.Realtime.Server.Adapters;

namespace Bms.Server.Web;

/// <summary>Who is behind a connected socket, read from the <c>user</c> entry the gateway stores in <c>socket.Data</c>.</summary>
internal sealed record ConnectedUser(
    string SocketId, string Namespace, string Kind, string Id, string Name, IReadOnlyList<string> Roles, IReadOnlyList<string> Rooms,
    string Transport, DateTimeOffset ConnectedAt)
{
    public static ConnectedUser? From(SocketDescriptor socket)
    {
        if (!socket.Data.TryGetValue("user", out var value) || value is not IDictionary<string, object?> user)
        {
            return null;
        }

        string Text(string key) => user.TryGetValue(key, out var v) ? v?.ToString() ?? "" : "";
        var roles = user.TryGetValue("roles", out var r) && r is IEnumerable list and not string
            ? list.Cast<object?>().Select(o => o?.ToString() ?? "").ToList()
            : [];
        return new ConnectedUser(
            socket.Id, socket.Namespace, Text("kind"), Text("id"), Text("name"), roles,
            [.. socket.Rooms.Where(room => room != socket.Id).Order(StringComparer.Ordinal)], socket.Transport, socket.ConnectedAt);
    }
}
