using Bms.Realtime.Protocol;
using Microsoft.Extensions.Logging;

namespace Bms.Realtime.Client;

public sealed partial class WebSocketClient
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Connection attempt to {Url} failed: {Detail}")]
        public static partial void ConnectAttemptFailed(ILogger logger, Uri url, string detail);

        [LoggerMessage(2, LogLevel.Information, "Connection lost: {Reason} {Detail}")]
        public static partial void ConnectionLost(ILogger logger, ClientDisconnectReason reason, string? detail);

        [LoggerMessage(3, LogLevel.Debug, "Reconnection attempt {Attempt} in {Delay}")]
        public static partial void ReconnectScheduled(ILogger logger, int attempt, TimeSpan delay);

        [LoggerMessage(4, LogLevel.Warning, "Reconnection gave up after {Attempts} attempts")]
        public static partial void ReconnectFailed(ILogger logger, int attempts);

        [LoggerMessage(5, LogLevel.Debug, "State {Previous} -> {Current} ({Reason})")]
        public static partial void StateChanged(ILogger logger, ConnectionState previous, ConnectionState current, ClientDisconnectReason reason);

        [LoggerMessage(6, LogLevel.Warning, "Authentication failed on {Namespace}: {Detail}")]
        public static partial void AuthenticationFailed(ILogger logger, string @namespace, string detail);

        [LoggerMessage(7, LogLevel.Debug, "Malformed packet from the server: {Detail}")]
        public static partial void MalformedPacket(ILogger logger, string detail);

        [LoggerMessage(8, LogLevel.Trace, "<- {Type} {Namespace} {Packet}")]
        public static partial void PacketIn(ILogger logger, SocketPacketType type, string @namespace, string packet);

        [LoggerMessage(9, LogLevel.Debug, "Packet for namespace {Namespace} that has no socket; ignored")]
        public static partial void UnknownNamespace(ILogger logger, string @namespace);

        [LoggerMessage(10, LogLevel.Debug, "Transport is now {Transport}")]
        public static partial void TransportChanged(ILogger logger, TransportKind transport);

        [LoggerMessage(11, LogLevel.Debug, "Latency probe failed: {Detail}")]
        public static partial void LatencyProbeFailed(ILogger logger, string detail);

        [LoggerMessage(12, LogLevel.Error, "A client event handler threw")]
        public static partial void EventHandlerFailed(ILogger logger, Exception exception);

        [LoggerMessage(13, LogLevel.Error, "The connection loop failed")]
        public static partial void ConnectionLoopFailed(ILogger logger, Exception exception);
    }
}
