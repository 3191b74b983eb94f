namespace Bms.Server.Realtime;

internal sealed partial class RealtimeGateway
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Socket {SocketId} connected to {Namespace} as {Actor}")]
        public static partial void Connected(ILogger logger, string @namespace, string socketId, string actor);

        [LoggerMessage(2, LogLevel.Debug, "Connection to {Namespace} refused ({Reason}) from {Address}")]
        public static partial void AuthFailed(ILogger logger, string @namespace, string reason, string address);

        [LoggerMessage(3, LogLevel.Debug, "{Actor} may not connect to {Namespace}")]
        public static partial void NamespaceForbidden(ILogger logger, string @namespace, string actor);

        [LoggerMessage(4, LogLevel.Debug, "Connection to {Namespace} rate-limited for {Key}")]
        public static partial void ConnectionRateLimited(ILogger logger, string @namespace, string key);

        [LoggerMessage(5, LogLevel.Debug, "Event {Event} on {Namespace} refused for {Actor}")]
        public static partial void EventRefused(ILogger logger, string @namespace, string @event, string actor);

        [LoggerMessage(6, LogLevel.Information, "Socket {SocketId} on {Namespace} ({Actor}) disconnected after {Count} limit violations")]
        public static partial void AbuseDisconnect(ILogger logger, string @namespace, string socketId, string actor, int count);

        [LoggerMessage(8, LogLevel.Error, "Handler {Event} on {Namespace} failed")]
        public static partial void HandlerFailed(ILogger logger, string @namespace, string @event, Exception exception);

        [LoggerMessage(9, LogLevel.Information, "Socket {SocketId} on {Namespace} ({Actor}) disconnected: its refreshed token does not allow the namespace")]
        public static partial void RefreshForbidden(ILogger logger, string @namespace, string socketId, string actor);

        [LoggerMessage(10, LogLevel.Debug, "Security stamp of user {UserId} changed: its sockets are disconnected on every node")]
        public static partial void UserRevoked(ILogger logger, int userId);

        [LoggerMessage(11, LogLevel.Debug, "Socket {SocketId} on {Namespace} ({Actor}) disconnected: its token was revoked")]
        public static partial void SocketRevoked(ILogger logger, string @namespace, string socketId, string actor);
    }
}
