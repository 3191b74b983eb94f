using System.Text.Json;
using Bms.Realtime.Server.Namespaces;
using Bms.Server.Cluster;
using Bms.Server.Data.Postgres;
using Bms.Server.Data;
using Bms.Server.Observability;

namespace Bms.Server.Realtime;

/// <summary>Reads the <c>user</c> entry the gateway stores in <c>socket.Data</c> (kind, id, name, roles, storeIds).</summary>
internal static class SocketUser
{
    public static (string? Kind, string? Id, string? Name, IReadOnlySet<string> Roles) Read(RealtimeSocket socket)
    {
        if (!socket.Data.TryGetValue("user", out var value) || value is not IReadOnlyDictionary<string, object?> user)
        {
            return (null, null, null, new HashSet<string>());
        }

        var roles = user.GetValueOrDefault("roles") is IEnumerable<string> list ? list.ToHashSet(StringComparer.Ordinal) : [];
        return (user.GetValueOrDefault("kind")?.ToString(), user.GetValueOrDefault("id")?.ToString(), user.GetValueOrDefault("name")?.ToString(), roles);
    }

    /// <summary>The user entry of a socket snapshot (a dictionary locally, JSON from another node), for listings.</summary>
    public static object? FromData(IReadOnlyDictionary<string, object?> data) => data.GetValueOrDefault("user") switch
    {
        JsonElement { ValueKind: JsonValueKind.Object } element => element,
        IReadOnlyDictionary<string, object?> dictionary => dictionary,
        _ => null,
    };
}
