using Microsoft.Extensions.Logging;

namespace Bms.Realtime.Client.Engine;

internal sealed partial class EngineConnection
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Engine session {Sid} opened over {Transport} (pingInterval {PingInterval}, pingTimeout {PingTimeout}).")]
        public static partial void Opened(ILogger logger, string sid, TransportKind transport, TimeSpan pingInterval, TimeSpan pingTimeout);

        [LoggerMessage(2, LogLevel.Debug, "Engine session {Sid} closed: {Reason} {Detail}.")]
        public static partial void Closed(ILogger logger, string sid, ClientDisconnectReason reason, string? detail);

        [LoggerMessage(3, LogLevel.Debug, "Engine session {Sid} upgraded to WebSocket.")]
        public static partial void Upgraded(ILogger logger, string sid);

        [LoggerMessage(4, LogLevel.Debug, "Engine session {Sid}: upgrade to WebSocket failed ({Detail}); staying on polling.")]
        public static partial void UpgradeFailed(ILogger logger, string sid, string detail);

        [LoggerMessage(5, LogLevel.Trace, "Engine session {Sid} <- {Packet}")]
        public static partial void EnginePacketIn(ILogger logger, string sid, string packet);

        [LoggerMessage(6, LogLevel.Trace, "Engine session {Sid} -> {Packet} (+{Attachments} attachments)")]
        public static partial void PacketOut(ILogger logger, string sid, string packet, int attachments);
    }
}
