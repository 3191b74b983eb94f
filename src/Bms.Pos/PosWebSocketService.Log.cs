using Microsoft.Extensions.Logging;

namespace Bms.Pos;

public sealed partial class PosWebSocketService
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Server unreachable at start ({Reason}); running offline on the cached identity and catalogue")]
        public static partial void StartingOffline(ILogger logger, string reason);

        [LoggerMessage(2, LogLevel.Debug, "/pos connect did not complete: {Reason}")]
        public static partial void ConnectFailed(ILogger logger, string reason);

        [LoggerMessage(3, LogLevel.Warning, "Joining {Room} was refused: {Error}")]
        public static partial void JoinRefused(ILogger logger, string room, string error);

        [LoggerMessage(4, LogLevel.Debug, "sync:status report failed: {Reason}")]
        public static partial void ReportFailed(ILogger logger, string reason);

        [LoggerMessage(5, LogLevel.Error, "POS handler {Handler} failed")]
        public static partial void HandlerFailed(ILogger logger, string handler, Exception exception);
    }
}
