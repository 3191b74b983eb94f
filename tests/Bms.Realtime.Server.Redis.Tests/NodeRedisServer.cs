namespace Bms.Realtime.Server.Redis.Tests;

/// <summary>interop/redis-node-server.mjs: the official socket.io 4.8 server with the official @socket.io/redis-adapter.</summary>
internal static class NodeRedisServer
{
    /// <summary>Starts the script against <paramref name="redis"/>; <paramref name="requestsTimeout"/> is the official adapter's <c>requestsTimeout</c> (default 5 s).</summary>
    public static Task<NodeServerProcess> StartAsync(RedisServerProcess redis, TimeSpan? requestsTimeout = null)
    {
        var environment = new Dictionary<string, string> { ["REDIS_URL"] = redis.Url };
        if (requestsTimeout is { } timeout)
        {
            environment["REQUESTS_TIMEOUT"] = NodePeer.Milliseconds(timeout);
        }

        return NodeServerProcess.StartAsync(0, environment, "redis-node-server.mjs");
    }

    /// <summary>The adapter uid the script printed when it started.</summary>
    public static string Uid(this NodeServerProcess server) => server.Listening.GetProperty("uid").GetString()!;
}
