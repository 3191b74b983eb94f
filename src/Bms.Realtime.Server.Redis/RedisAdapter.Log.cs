using Microsoft.Extensions.Logging;

namespace Bms.Realtime.Server.Redis;

public sealed partial class RedisAdapter
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Redis adapter of {Namespace} subscribed to {Channel}* as node {Uid}")]
        public static partial void Subscribed(ILogger logger, string @namespace, string channel, string uid);

        [LoggerMessage(2, LogLevel.Debug, "Broadcast {Event} on {Namespace}: {Local} local sockets, published to {RemoteNodes} other nodes (correlation {Correlation})")]
        public static partial void Broadcast(ILogger logger, string @namespace, string @event, int local, long remoteNodes, string correlation);

        [LoggerMessage(3, LogLevel.Debug, "Remote broadcast {Event} on {Namespace} from node {Uid}: {Delivered} local sockets (correlation {Correlation})")]
        public static partial void RemoteBroadcast(ILogger logger, string @namespace, string @event, string uid, int delivered, string correlation);

        [LoggerMessage(4, LogLevel.Error, "Redis adapter of {Namespace} failed to handle a message on {Channel}")]
        public static partial void ReceiveFailed(ILogger logger, string @namespace, string channel, Exception exception);

        [LoggerMessage(5, LogLevel.Warning, "Redis adapter of {Namespace}: {Type} request timed out with {Received} of {Expected} node answers")]
        public static partial void RequestTimedOut(ILogger logger, string @namespace, string type, int received, int expected);

        [LoggerMessage(7, LogLevel.Debug, "Server-side emit {Event} on {Namespace} from node {Uid} (acknowledgement requested: {WithAck})")]
        public static partial void ServerSideEmitReceived(ILogger logger, string @namespace, string @event, string uid, bool withAck);

        [LoggerMessage(8, LogLevel.Debug, "Server-side emit {Event} on {Namespace} acknowledged to node {Uid}")]
        public static partial void ServerSideEmitAcknowledged(ILogger logger, string @namespace, string @event, string uid);

        [LoggerMessage(9, LogLevel.Debug, "Server-side emit {Event} on {Namespace} answered by {Received} of {Expected} other nodes")]
        public static partial void ServerSideEmitAnswered(ILogger logger, string @namespace, string @event, int received, int expected);
    }
}
