using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace Bms.Cluster.Tests;

/// <summary>Webhooks on two real Bms.Server processes sharing PostgreSQL: both nodes work one queue, each entry is sent once.</summary>
public sealed class WebhookClusterTests(ClusterServices services) : IClassFixture<ClusterServices>
{
    private static readonly TimeSpan Wait = Infrastructure.Wait;

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Bms__Routing__Webhooks__AllowHttp"] = "true",
        ["Bms__Routing__Webhooks__RetryDelay"] = "00:00:00.200",
        ["Bms__Routing__Webhooks__RetryDelayMax"] = "00:00:00.500",
        ["Bms__Routing__Webhooks__PollInterval"] = "00:00:00.100",
    };

    [ClusterFact]
    public async Task EventsFromBothNodesReachAHookCreatedOnOneOfThemOnceEach()
    {
        var database = services.NewDatabase();
        await using var a = await ServerNode.StartAsync("A", database, services.Redis.Configuration, Settings).WaitAsync(TimeSpan.FromMinutes(2));
        await using var b = await ServerNode.StartAsync("B", database, services.Redis.Configuration, Settings).WaitAsync(TimeSpan.FromMinutes(2));
        using var receiver = new Receiver(failFirst: 3);
        var admin = await a.LoginAsync("admin", "admin123!");
        await a.PostAsync("/api/routing/webhooks", new { name = "erp", url = receiver.Url, @event = "inventory:updated" }, admin);
        // B reads hooks through a cache of at most 2 s.
        await Task.Delay(TimeSpan.FromSeconds(3)).WaitAsync(Wait);

        var manager = await a.LoginAsync("manager", "manager123!");
        for (var productId = 1; productId <= 6; productId++)
        {
            var node = productId % 2 == 0 ? a : b;
            await node.PostAsync("/api/inventory/adjust", new { productId, delta = 1, reason = "count" }, manager);
        }

        var deadline = DateTime.UtcNow + Wait;
        while (receiver.Accepted.Select(r => r.EventId).Distinct().Count() < 6)
        {
            Assert.True(DateTime.UtcNow < deadline, $"accepted so far: {receiver.Accepted.Count}, requests: {receiver.Requests}");
            await Task.Delay(100).WaitAsync(Wait);
        }

        await Task.Delay(TimeSpan.FromSeconds(1)).WaitAsync(Wait);
        Assert.Equal(6, receiver.Accepted.Count);
        Assert.Equal(6, receiver.Accepted.Select(r => r.EventId).Distinct().Count());
        Assert.Equal([1, 2, 3, 4, 5, 6], receiver.Accepted.Select(r => r.ProductId).Order());
    }

    /// <summary>A loopback HTTP receiver (HttpListener) that answers 500 to the first requests, then 200.</summary>
    private sealed class Receiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentQueue<(string EventId, int ProductId)> _accepted = new();
        private int _failuresLeft;
        private int _requests;

        public Receiver(int failFirst)
        {
            _failuresLeft = failFirst;
            var port = Infrastructure.FreePort();
            Url = new Uri($"http://127.0.0.1:{port}/hook/");
            _listener.Prefixes.Add(Url.ToString());
            _listener.Start();
            _ = LoopAsync();
        }

        public Uri Url { get; }

        public int Requests => Volatile.Read(ref _requests);

        public IReadOnlyList<(string EventId, int ProductId)> Accepted => [.. _accepted];

        public void Dispose() => _listener.Close();

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                Interlocked.Increment(ref _requests);
                using var reader = new StreamReader(context.Request.InputStream);
                var envelope = JsonDocument.Parse(await reader.ReadToEndAsync()).RootElement;
                var ok = Interlocked.Decrement(ref _failuresLeft) < 0;
                if (ok)
                {
                    _accepted.Enqueue((envelope.GetProperty("id").GetString()!, envelope.GetProperty("data").GetProperty("productId").GetInt32()));
                }

                context.Response.StatusCode = ok ? 200 : 500;
                context.Response.Close();
            }
        }
    }
}
