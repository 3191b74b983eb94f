using Microsoft.Extensions.Logging;

namespace Bms.Realtime.Server.Redis;

public sealed partial class RedisPublisher
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Redis outgoing queue full ({Capacity} messages): dropped the oldest ({Kind}); {Total} dropped so far because the queue was full")]
        public static partial void QueueFull(ILogger logger, int capacity, string kind, long total);
    }
}
