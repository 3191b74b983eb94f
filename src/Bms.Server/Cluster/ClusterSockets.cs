using Bms.Realtime.Server.Adapters;
using Bms.Realtime.Server.Namespaces;
using Bms.Realtime.Server.Redis;
using Bms.Server.Data.Postgres;
using Bms.Server.Data;
using Bms.Server.Observability;
using Bms.Server.Realtime;

namespace Bms.Server.Cluster;

/// <summary>
/// <c>GET /api/admin/sockets</c> (admin): every socket connected to any node of the cluster, from
/// <c>FetchSocketsAsync</c> on <c>/main</c>, <c>/admin</c> and <c>/pos</c>:
/// <c>[{id, node, namespace, user, rooms, transport, connectedAt}]</c>, oldest first. 503 (problem details) while Redis
/// is down or not answering: the other nodes cannot be listed then.
/// </summary>
internal static class ClusterSockets
{
    public static async Task<IResult> ListAsync(RealtimeServer io, CancellationToken cancellationToken)
    {
        var result = new List<ClusterSocketDto>();
        foreach (var name in RealtimeNamespaces.All)
        {
            IReadOnlyList<SocketDescriptor> sockets;
            try
            {
                sockets = await io.Of(name).FetchSocketsAsync(cancellationToken);
            }
            catch (RedisUnavailableException ex)
            {
                // The other nodes cannot be asked: say so rather than pass off this node's sockets as the cluster's.
                return Results.Problem(ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Redis unavailable", type: "redis_unavailable");
            }

            foreach (var socket in sockets)
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
