using Microsoft.Extensions.Logging;

namespace Bms.Pos.Sync;

public sealed partial class SyncService
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Sync lease held by {Holder}; not sending")]
        public static partial void LeaseBusy(ILogger logger, string holder);

        [LoggerMessage(2, LogLevel.Information, "Sync: sent {Sent} ({Accepted} accepted, {Duplicates} duplicate, {Rejected} rejected), pulled {Pulled} products")]
        public static partial void RunCompleted(ILogger logger, int sent, int accepted, int duplicates, int rejected, int pulled);

        [LoggerMessage(3, LogLevel.Warning, "Sync failed: {Error}")]
        public static partial void RunFailed(ILogger logger, string error);

        [LoggerMessage(4, LogLevel.Error, "Sync loop failed")]
        public static partial void LoopFailed(ILogger logger, Exception exception);

        [LoggerMessage(5, LogLevel.Debug, "Releasing the sync lease failed")]
        public static partial void LeaseReleaseFailed(ILogger logger, Exception exception);
    }
}
