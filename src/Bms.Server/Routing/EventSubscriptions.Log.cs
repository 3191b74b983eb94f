namespace Bms.Server.Routing;

internal sealed partial class EventSubscriptions
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "{Namespace} socket {Sid} subscribed {Id} to {Event} ({Clauses} clauses)")]
        public static partial void Subscribed(ILogger logger, string @namespace, string sid, string id, string @event, int clauses);

        [LoggerMessage(2, LogLevel.Debug, "{Namespace} socket {Sid} unsubscribed {Id}")]
        public static partial void Unsubscribed(ILogger logger, string @namespace, string sid, string id);
    }
}
