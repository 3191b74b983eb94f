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
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailFirst = 3;
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

        await receiver.WaitUntilAsync(requests => Accepted(requests).Select(r => r.EventId).Distinct().Count() >= 6, Wait);

        await Task.Delay(TimeSpan.FromSeconds(1)).WaitAsync(Wait);
        var accepted = Accepted(receiver.Requests);
        Assert.Equal(6, accepted.Count);
        Assert.Equal(6, accepted.Select(r => r.EventId).Distinct().Count());
        Assert.Equal([1, 2, 3, 4, 5, 6], accepted.Select(r => r.ProductId).Order());
    }

    private static List<(string EventId, int ProductId)> Accepted(IReadOnlyList<ReceivedRequest> requests) =>
        [.. requests.Where(r => r.Status == 200).Select(r => JsonDocument.Parse(r.Body).RootElement)
            .Select(e => (e.GetProperty("id").GetString()!, e.GetProperty("data").GetProperty("productId").GetInt32()))];
}
