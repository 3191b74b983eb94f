namespace Bms.Server.Routing;

internal sealed partial class RoutingRules
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Routing rules reloaded: {Count} rules")]
        public static partial void Reloaded(ILogger logger, int count);

        [LoggerMessage(2, LogLevel.Error, "Routing rules change rejected, the previous rules stay: {Problem}")]
        public static partial void ReloadRejected(ILogger logger, string problem);
    }
}
