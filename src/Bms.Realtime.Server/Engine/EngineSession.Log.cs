using Microsoft.Extensions.Logging;

namespace Bms.Realtime.Server.Engine;

public sealed partial class EngineSession
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Engine session {Sid} closed: {Reason} {Description}")]
        public static partial void SessionClosed(ILogger logger, string sid, EngineCloseReason reason, string? description);

        [LoggerMessage(2, LogLevel.Debug, "Engine session {Sid} protocol violation: {Detail}")]
        public static partial void ProtocolViolation(ILogger logger, string sid, string detail);

        [LoggerMessage(3, LogLevel.Debug, "Engine session {Sid} ping timeout")]
        public static partial void PingTimeout(ILogger logger, string sid);

        [LoggerMessage(4, LogLevel.Debug, "Engine session {Sid} send queue overflow (limits {MaxFrames} frames, {MaxBytes} bytes)")]
        public static partial void SendQueueOverflow(ILogger logger, string sid, int maxFrames, long maxBytes);

        [LoggerMessage(5, LogLevel.Debug, "Engine session {Sid} upgraded to websocket")]
        public static partial void Upgraded(ILogger logger, string sid);

        [LoggerMessage(6, LogLevel.Debug, "Engine session {Sid} upgrade failed: {Reason}")]
        public static partial void UpgradeFailed(ILogger logger, string sid, string reason);

        [LoggerMessage(7, LogLevel.Error, "Engine session {Sid} handler failed")]
        public static partial void HandlerFailed(ILogger logger, string sid, Exception exception);
    }
}
