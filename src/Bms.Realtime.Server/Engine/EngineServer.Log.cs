using Microsoft.Extensions.Logging;

namespace Bms.Realtime.Server.Engine;

public sealed partial class EngineServer
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Engine session {Sid} opened over {Transport}")]
        public static partial void SessionOpened(ILogger logger, string sid, string transport);

        [LoggerMessage(2, LogLevel.Debug, "Engine request refused: {Reason} ({Value})")]
        public static partial void BadRequest(ILogger logger, string reason, string value);

        [LoggerMessage(3, LogLevel.Error, "Heartbeat of session {Sid} failed")]
        public static partial void TickFailed(ILogger logger, string sid, Exception exception);
    }
}
