using Microsoft.Extensions.Logging;

namespace Bms.Realtime.Client;

public sealed partial class NamespaceSocket
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Namespace {Namespace} connected as {Sid} (recovered: {Recovered}, replayed before connect: {Replayed}, rooms re-joined: {Rejoined})")]
        public static partial void NamespaceConnected(ILogger logger, string @namespace, string? sid, bool recovered, int replayed, int rejoined);

        [LoggerMessage(2, LogLevel.Debug, "Namespace {Namespace} refused: {Message} (retrying with a fresh token: {Retry})")]
        public static partial void ConnectRefused(ILogger logger, string @namespace, string message, bool retry);

        [LoggerMessage(3, LogLevel.Debug, "Namespace {Namespace} disconnected by the server (token expired, reconnecting with a fresh one: {Refresh})")]
        public static partial void ServerDisconnected(ILogger logger, string @namespace, bool refresh);

        [LoggerMessage(4, LogLevel.Error, "Handler for '{Event}' on {Namespace} threw")]
        public static partial void HandlerFailed(ILogger logger, string @namespace, string @event, Exception exception);

        [LoggerMessage(5, LogLevel.Trace, "No handler for '{Event}' on {Namespace}")]
        public static partial void Unhandled(ILogger logger, string @namespace, string @event);

        [LoggerMessage(6, LogLevel.Debug, "Room {Room} re-joined on {Namespace}: {Ok} {Error}")]
        public static partial void RoomRejoined(ILogger logger, string @namespace, string room, bool ok, string? error);

        [LoggerMessage(7, LogLevel.Warning, "Access token provider failed for {Namespace}")]
        public static partial void TokenProviderFailed(ILogger logger, string @namespace, Exception exception);

        [LoggerMessage(8, LogLevel.Trace, "Emit dropped on {Namespace}: {Packet}")]
        public static partial void EmitDropped(ILogger logger, string @namespace, string packet);

        [LoggerMessage(9, LogLevel.Debug, "Connection to {Namespace} closed during the flush: {Buffered} emits stay buffered, rooms owed a re-join: {RejoinOwed}")]
        public static partial void FlushInterrupted(ILogger logger, string @namespace, int buffered, bool rejoinOwed);
    }
}
