using System.Text.Json;
using Bms.Realtime.Server.Namespaces;
using Bms.Server.Auth;
using Bms.Server.RealtimeAuthorization;

namespace Bms.Server.Realtime;

internal sealed partial class RealtimeGateway
{
    /// <summary>Server-side event telling the other nodes that a user's security stamp changed: <c>[name, userId]</c>.</summary>
    internal const string SecurityStampChangedEvent = "bms:security-stamp";

    private const string RevokedMessage = "The access token was revoked; sign in again.";

    /// <summary>
    /// <c>auth:refresh</c>: the new token must be valid (signature, lifetime, security stamp), name the same principal,
    /// and still allow this namespace. A token that no longer allows it (a demoted admin on <c>/admin</c>) is answered
    /// <c>forbidden</c> and the socket is disconnected. Otherwise the socket takes the new principal: its <c>role:</c>
    /// rooms follow the new roles, rooms it may no longer join (a store it lost) are left, and its expiry moves.
    /// </summary>
    private async ValueTask RefreshAsync(SocketEvent e, SocketSession session)
    {
        var raw = e.Args.Count > 0 ? e.Args.GetRaw(0) : default;
        var token = raw.ValueKind switch
        {
            JsonValueKind.String => raw.GetString(),
            JsonValueKind.Object when raw.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String => t.GetString(),
            _ => null,
        };
        var check = await tokens.ValidateAsync(token);
        if (check.Principal is not { } principal)
        {
            await e.AckAsync(new { ok = false, error = FailureCode(check.Failure) });
            return;
        }

        var previous = session.Principal;
        if (principal.Kind != previous.Kind || principal.Id != previous.Id)
        {
            await e.AckAsync(new { ok = false, error = "forbidden" });
            return;
        }

        var nsp = e.Socket.Namespace.Name;
        if (!RealtimeNamespaces.MayConnect(nsp, principal.Roles))
        {
            metrics.ForcedDisconnect(nsp, "forbidden");
            Log.RefreshForbidden(logger, nsp, e.Socket.Id, principal.Actor);
            await e.AckAsync(new { ok = false, error = "forbidden" });
            await e.Socket.DisconnectAsync();
            return;
        }

        session.Principal = principal;
        ReauthorizeRooms(e.Socket, previous, principal);
        SetUserData(e.Socket, principal);
        tokenExpiry.Schedule(e.Socket, session);
        await e.AckAsync(new { ok = true, expiresAt = principal.ExpiresAt });
    }

    /// <summary>Moves the socket's automatic <c>role:</c> rooms to the new roles and leaves rooms the principal may no longer join.</summary>
    private static void ReauthorizeRooms(RealtimeSocket socket, BmsPrincipal previous, BmsPrincipal current)
    {
        foreach (var role in previous.Roles.Except(current.Roles))
        {
            socket.Leave($"role:{role}");
        }

        foreach (var role in current.Roles.Except(previous.Roles))
        {
            socket.Join($"role:{role}");
        }

        foreach (var room in socket.Rooms.ToArray())
        {
            var automatic = room == socket.Id
                || room.StartsWith("user:", StringComparison.Ordinal)
                || room.StartsWith("role:", StringComparison.Ordinal)
                || room == $"terminal:{current.TerminalId}";
            if (!automatic && RoomAuthorizer.Check(current, room) is not null)
            {
                socket.Leave(room);
            }
        }
    }

    /// <summary>
    /// Run by <see cref="SecurityStampCache"/> when a user's stamp changed on this node (disabled, roles, stores or
    /// password changed, refresh family revoked): the other nodes drop their cached stamp, and the user's sockets on
    /// every namespace of every node are told (<c>error</c> <c>{code: "token_revoked"}</c>) and disconnected, through
    /// the adapter (Redis when configured).
    /// </summary>
    private async ValueTask RevokeUserAsync(int userId)
    {
        try
        {
            await io.Of(RealtimeNamespaces.Main).ServerSideEmitAsync(SecurityStampChangedEvent, userId);
            var room = $"user:{userId}";
            foreach (var name in RealtimeNamespaces.All)
            {
                var nsp = io.Of(name);
                await nsp.To(room).EmitAsync("error", new { code = "token_revoked", message = RevokedMessage });
                await nsp.In(room).DisconnectSocketsAsync();
            }

            Log.UserRevoked(logger, userId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.HandlerFailed(logger, RealtimeNamespaces.Main, SecurityStampChangedEvent, ex);
        }
    }

    /// <summary>Tells one socket its token was revoked and disconnects it (found stale when it sent an event).</summary>
    private async ValueTask RevokeSocketAsync(RealtimeSocket socket, SocketSession session)
    {
        metrics.ForcedDisconnect(socket.Namespace.Name, "token_revoked");
        Log.SocketRevoked(logger, socket.Namespace.Name, socket.Id, session.Principal.Actor);
        await socket.EmitAsync("error", new { code = "token_revoked", message = RevokedMessage });
        await socket.DisconnectAsync();
    }

    /// <summary>Another node changed a user's stamp: forget this node's cached one.</summary>
    private ValueTask OnServerSideEmitAsync(object?[] args)
    {
        if (args is [string name, JsonElement { ValueKind: JsonValueKind.Number } id, ..]
            && name == SecurityStampChangedEvent && id.TryGetInt32(out var userId))
        {
            stamps.Invalidate(userId);
        }

        return ValueTask.CompletedTask;
    }
}
