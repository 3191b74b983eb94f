using Bms.Realtime.Server.Namespaces;
using Bms.Server.Realtime;

namespace Bms.Server.RealtimeAuthorization;

/// <summary>
/// Disconnects a socket when the access token it authenticated with (or last refreshed to) expires: the socket first
/// gets an <c>error</c> event with code <c>token_expired</c>, so the client refreshes its token instead of retrying
/// blindly, then a DISCONNECT. One timer per socket, replaced on every refresh.
/// </summary>
internal sealed partial class TokenExpiry(TimeProvider time, RealtimeSecurityMetrics metrics, ILogger<TokenExpiry> logger)
{
    /// <summary>(Re)arms the socket's timer for its session's current token; a token without expiry clears it.</summary>
    public void Schedule(RealtimeSocket socket, SocketSession session)
    {
        if (session.Principal.ExpiresAt is not { } expires)
        {
            session.SetExpiryTimer(null);
            return;
        }

        var due = expires - time.GetUtcNow().UtcDateTime;
        if (due < TimeSpan.Zero)
        {
            due = TimeSpan.Zero;
        }

        session.SetExpiryTimer(time.CreateTimer(_ => _ = ExpireAsync(socket, session), null, due, Timeout.InfiniteTimeSpan));
    }

    private async Task ExpireAsync(RealtimeSocket socket, SocketSession session)
    {
        try
        {
            if (session.Principal.ExpiresAt is { } expires && expires > time.GetUtcNow().UtcDateTime)
            {
                // A timer may fire a little early (or the token was refreshed meanwhile): wait for the real expiry.
                Schedule(socket, session);
                return;
            }

            metrics.ForcedDisconnect(socket.Namespace.Name, "token_expired");
            Log.TokenExpired(logger, socket.Namespace.Name, socket.Id, session.Principal.Actor);
            await socket.EmitAsync("error", new { code = "token_expired", message = "The access token has expired." });
            await socket.DisconnectAsync();
        }
        catch (Exception ex)
        {
            Log.Failed(logger, socket.Namespace.Name, socket.Id, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Socket {SocketId} on {Namespace} ({Actor}) disconnected: token expired")]
        public static partial void TokenExpired(ILogger logger, string @namespace, string socketId, string actor);

        [LoggerMessage(2, LogLevel.Error, "Disconnecting socket {SocketId} on {Namespace} at token expiry failed")]
        public static partial void Failed(ILogger logger, string @namespace, string socketId, Exception exception);
    }
}
