using Bms.Realtime.Server.Hosting;
using Microsoft.Extensions.Logging;

namespace Bms.Realtime.Server.DirectWebSocketPath;

internal sealed partial class DirectWebSocketMiddleware
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Direct WebSocket path on {Endpoint}: {Enabled} ({Reason})")]
        public static partial void EndpointConfigured(ILogger logger, string endpoint, bool enabled, string reason);

        [LoggerMessage(2, LogLevel.Debug, "Connection {ConnectionId}: WebSocket handshake for {Url} taken over by the direct path")]
        public static partial void Accepted(ILogger logger, string connectionId, string url);

        [LoggerMessage(3, LogLevel.Debug, "Connection {ConnectionId}: request head not complete in time, handed to HTTP")]
        public static partial void HeadTimedOut(ILogger logger, string connectionId);

        [LoggerMessage(4, LogLevel.Error, "Connection {ConnectionId}: direct WebSocket session failed")]
        public static partial void SessionFailed(ILogger logger, string connectionId, Exception exception);
    }
}
