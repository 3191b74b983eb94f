namespace Bms.Server.Routing.Webhooks;

internal sealed partial class WebhookDispatcher
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Webhook {HookId} got {Type} {EventId} after {Attempts} attempts (HTTP {Status})")]
        public static partial void Delivered(ILogger logger, Guid hookId, string type, string eventId, int attempts, int? status);

        [LoggerMessage(2, LogLevel.Information, "Webhook {HookId} attempt {Attempts} for {Type} {EventId} failed: {Error}; next at {Next:O}")]
        public static partial void AttemptFailed(ILogger logger, Guid hookId, string type, string eventId, int attempts, string error, DateTime next);

        [LoggerMessage(3, LogLevel.Warning, "Webhook {HookId} ({Name}) disabled after {Failures} consecutive failures")]
        public static partial void HookDisabled(ILogger logger, Guid hookId, string name, int failures);

        [LoggerMessage(4, LogLevel.Error, "Webhook queue round failed; retrying")]
        public static partial void RoundFailed(ILogger logger, Exception exception);
    }
}
