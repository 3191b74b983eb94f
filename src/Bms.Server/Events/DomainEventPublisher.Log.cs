namespace Bms.Server.Events;

internal sealed partial class DomainEventPublisher
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Publishing {EventType} to sink {Sink} failed")]
        public static partial void SinkFailed(ILogger logger, Exception exception, string eventType, string sink);
    }
}
