using Microsoft.Extensions.DependencyInjection;

namespace Bms.Realtime.Server.Redis.Tests;

/// <summary>The adapter spec against the Redis adapter: two nodes on a real redis-server, clients spread over both.</summary>
public sealed class RedisAdapterSpecTests : AdapterSpec
{
    protected override int NodeCount => 2;

    protected override async Task<Cluster> StartClusterAsync(RealtimeTestHostOptions options)
    {
        var redis = await RedisServerProcess.StartAsync().WaitAsync(Wait);
        var nodes = new List<RealtimeTestHost>();
        try
        {
            for (var i = 0; i < NodeCount; i++)
            {
                var node = await RealtimeTestHost.StartAsync(options with
                {
                    Realtime = b => b.AddRedisAdapter(o =>
                    {
                        o.Configuration = redis.Configuration;
                        o.RequestsTimeout = TimeSpan.FromSeconds(5);
                        o.HeartbeatTimeout = TimeSpan.FromSeconds(5);
                    }),
                }).WaitAsync(Wait);
                nodes.Add(node);
                while (node.Io.Of("/").Adapter is not RedisAdapter { IsSubscribed: true })
                {
                    await Task.Delay(20).WaitAsync(Wait);
                }
            }
        }
        catch
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }

            await redis.DisposeAsync();
            throw;
        }

        return new Cluster(nodes, () => redis.DisposeAsync());
    }
}
