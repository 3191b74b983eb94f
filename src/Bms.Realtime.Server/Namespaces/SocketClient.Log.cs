using Bms.Realtime.Protocol;
using Microsoft.Extensions.Logging;

namespace Bms.Realtime.Server.Namespaces;

internal sealed partial class SocketClient
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Trace, "Session {Sid} packet {Type} for {Namespace}")]
        public static partial void PacketReceived(ILogger logger, string sid, SocketPacketType type, string @namespace);

        [LoggerMessage(2, LogLevel.Debug, "Session {Sid} asked for unknown namespace {Namespace}")]
        public static partial void InvalidNamespace(ILogger logger, string sid, string @namespace);

        [LoggerMessage(3, LogLevel.Debug, "Session {Sid} refused by {Namespace} middleware: {Message}")]
        public static partial void Rejected(ILogger logger, string sid, string @namespace, string message);

        [LoggerMessage(4, LogLevel.Error, "Session {Sid} failed to join {Namespace}")]
        public static partial void ConnectFailed(ILogger logger, string sid, string @namespace, Exception exception);

        [LoggerMessage(5, LogLevel.Debug, "Session {Sid} joined no namespace in time")]
        public static partial void ConnectTimeout(ILogger logger, string sid);

        [LoggerMessage(6, LogLevel.Debug, "Session {Sid} left a binary packet unfinished past the attachment timeout")]
        public static partial void AttachmentTimeout(ILogger logger, string sid);
    }
}
