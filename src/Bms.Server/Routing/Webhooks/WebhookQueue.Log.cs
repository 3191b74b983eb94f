namespace Bms.Server.Routing.Webhooks;

internal sealed partial class WebhookQueue
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Queued {Type} {EventId} for {Hooks} webhooks")]
        public static partial void Queued(ILogger logger, string type, string eventId, int hooks);

        [LoggerMessage(2, LogLevel.Error, "Webhook {Id} has a filter that no longer parses and is skipped: {Problem}")]
        public static partial void BadFilter(ILogger logger, Guid id, string problem);
    }
}
