using System.Text.Json;
using Bms.Realtime.Client;
using Bms.Realtime.Server.Namespaces;
using Microsoft.Extensions.DependencyInjection;

namespace Bms.Realtime.Server.Redis.Tests;

/// <summary>
/// One of our server nodes on real Kestrel (127.0.0.1:0) with the Redis adapter, serving the same event contract as
/// interop/redis-node-server.mjs on "/" and "/main": the server-side event "whoami" with an acknowledgement is
/// answered <c>{node: "ours", nodeId, args}</c>.
/// </summary>
public sealed class ClusterNode : IAsyncDisposable
{
    private RealtimeTestHost _host = null!;

    private ClusterNode()
    {
    }

    public Uri Url => _host.Url;

    public RealtimeServer Io => _host.Io;

    public RealtimeNamespace Main => Io.Of("/main");

    public RedisConnection Connection => _host.Services.GetRequiredService<RedisConnection>();

    public RedisAdapterMetrics AdapterMetrics => _host.Services.GetRequiredService<RedisAdapterMetrics>();

    /// <summary>Server-side events received from other nodes on /main.</summary>
    public Collector<object?[]> ServerSideEvents { get; } = new();

    /// <summary>While set, "whoami" is acknowledged only once this task completes (a slow node), after the handler returned.</summary>
    public Task? HoldAnswers { get; set; }

    /// <summary>The first argument of each "whoami" answered after being held by <see cref="HoldAnswers"/>.</summary>
    public Collector<object?> HeldAnswersSent { get; } = new();

    public RedisAdapter MainAdapter => (RedisAdapter)Main.Adapter;

    public static async Task<ClusterNode> StartAsync(RedisServerProcess redis, Action<RedisAdapterOptions>? configure = null)
    {
        var node = await StartUnsubscribedAsync(redis, configure);
        await node.WaitSubscribedAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return node;
    }

    /// <summary>Starts the node without waiting for Redis (which may be down).</summary>
    public static async Task<ClusterNode> StartUnsubscribedAsync(RedisServerProcess redis, Action<RedisAdapterOptions>? configure = null)
    {
        var node = new ClusterNode();
        node._host = await RealtimeTestHost.StartAsync(new RealtimeTestHostOptions
        {
            Realtime = b => b.AddRedisAdapter(o =>
            {
                o.Configuration = redis.Configuration;
                o.RequestsTimeout = TimeSpan.FromSeconds(3);

                // On a loaded test machine a healthy Redis can take over a second to answer a PING; only the hang tests
                // use the product's 1 s.
                o.HeartbeatTimeout = TimeSpan.FromSeconds(5);
                configure?.Invoke(o);
            }),
            Setup = io =>
            {
                foreach (var name in new[] { "/", "/main" })
                {
                    node.Attach(io.Of(name));
                }
            },
        });
        return node;
    }

    public WebSocketClient NewClient() => WebSocketClientFactory.Create(new WebSocketClientOptions
    {
        Url = Url,
        ReconnectionDelay = TimeSpan.FromMilliseconds(100),
        ReconnectionDelayMax = TimeSpan.FromMilliseconds(500),
        Timeout = TimeSpan.FromSeconds(10),
    });

    /// <summary>Waits until the adapters of "/" and "/main" are subscribed to Redis.</summary>
    public async Task WaitSubscribedAsync()
    {
        while (!Io.Namespaces.Values.All(n => n.Adapter is RedisAdapter { IsSubscribed: true }))
        {
            await Task.Delay(20).WaitAsync(TimeSpan.FromSeconds(5));
        }
    }

    private async Task AnswerLaterAsync(Task hold, Func<object?, ValueTask> ack, object answer, object? first)
    {
        await hold;
        await ack(answer);
        HeldAnswersSent.Add(first);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private void Attach(RealtimeNamespace nsp)
    {
        if (nsp.Name == "/main")
        {
            nsp.OnServerSideEmit(args =>
            {
                ServerSideEvents.Add(args);
                return ValueTask.CompletedTask;
            });
            nsp.OnServerSideEmit((args, ack) =>
            {
                if (ack is null || args[0] as string != "whoami")
                {
                    return ValueTask.CompletedTask;
                }

                var answer = new { node = "ours", nodeId = Io.NodeId, args = args.Skip(1).ToArray() };
                if (HoldAnswers is not { } hold)
                {
                    return ack(answer);
                }

                _ = AnswerLaterAsync(hold, ack, answer, args.Length > 1 ? args[1] : null);
                return ValueTask.CompletedTask;
            });
        }

        nsp.OnConnection(socket =>
        {
            socket.On("room:join", e =>
            {
                socket.Join(e.Args.Get<string>(0)!);
                return e.AckAsync(new { ok = true });
            });
            socket.On("room:leave", e =>
            {
                socket.Leave(e.Args.Get<string>(0)!);
                return e.AckAsync(new { ok = true });
            });
            socket.On("broadcast", async e =>
            {
                var request = e.Args.GetRaw(0);
                var target = request.TryGetProperty("room", out var room) ? nsp.To(room.GetString()!) : nsp.Compress(true);
                if (request.TryGetProperty("except", out var except))
                {
                    target = target.Except(except.GetString()!);
                }

                await target.EmitAsync(request.GetProperty("event").GetString()!, request.GetProperty("payload").Clone());
                await e.AckAsync(new { ok = true });
            });
            socket.On("fetch-sockets", async e =>
            {
                var sockets = await nsp.FetchSocketsAsync();
                await e.AckAsync(sockets.Select(s => new { id = s.Id, rooms = s.Rooms }).ToArray());
            });
        });
    }
}
