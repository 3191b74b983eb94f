using Bms.Realtime.Server.Namespaces;
using Bms.Server.Realtime;

namespace Bms.Server.Scale;

/// <summary>
/// <c>GET /api/admin/sockets</c> (admin): every socket connected to any node of the cluster, from
/// <c>FetchSocketsAsync</c> on <c>/main</c>, <c>/admin</c> and <c>/pos</c>:
/// <c>[{id, node, namespace, user, rooms, transport, connectedAt}]</c>, oldest first.
/// </summary>
internal static class ClusterSockets
{
    public static async Task<IResult> ListAsync(RealtimeServer io, CancellationToken cancellationToken)
    {
        var result = new List<ClusterSocketDto>();
        foreach (var name in RealtimeNamespaces.All)
        {
            foreach (var socket in await io.Of(name).FetchSocketsAsync(cancellationToken))
            {
                result.Add(new ClusterSocketDto(
                    socket.Id,
                    socket.NodeId,
                    socket.Namespace,
                    SocketUser.FromData(socket.Data),
                    [.. socket.Rooms.Order(StringComparer.Ordinal)],
                    socket.Transport,
                    socket.ConnectedAt));
            }
        }

        return Results.Ok(result.OrderBy(s => s.ConnectedAt).ToList());
    }

    /// <summary>One connected socket.</summary>
    public sealed record ClusterSocketDto(string Id, string Node, string Namespace, object? User, string[] Rooms, string Transport, DateTimeOffset ConnectedAt);
}
