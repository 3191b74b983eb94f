using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace Bms.Cluster.Tests;

/// <summary>
/// Two real Bms.Server processes on one PostgreSQL and one redis-server that hangs (SIGSTOP, then SIGCONT), and
/// concurrent idempotent sales on both nodes.
/// </summary>
public sealed class RedisHangClusterTests(ClusterServices services, ITestOutputHelper output) : IClassFixture<ClusterServices>
{
    private static readonly TimeSpan Wait = Infrastructure.Wait;
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(1);

    [ClusterFact]
    public async Task WhileRedisHangsSalesAnswerAndReachClientsOfTheirNodeAtOnceHealthDegradesAndRecoversAndCrossNodeDeliveryResumes()
    {
        var database = services.NewDatabase();
        var heartbeat = new Dictionary<string, string> { ["Bms__Scale__Redis__HeartbeatTimeout"] = "00:00:01" };
        await using var a = await ServerNode.StartAsync("A", database, services.Redis.Configuration, heartbeat).WaitAsync(TimeSpan.FromMinutes(2));
        await using var b = await ServerNode.StartAsync("B", database, services.Redis.Configuration, heartbeat).WaitAsync(TimeSpan.FromMinutes(2));
        using var logs = new NodeLogs(output, a, b);
        var token = await a.LoginAsync("cashier", "cashier123!");
        var admin = await a.LoginAsync("admin", "admin123!");
        var productId = (await a.GetAsync("/api/products", token)).EnumerateArray()
            .Where(p => p.GetProperty("storeId").GetInt32() == 1)
            .MaxBy(p => p.GetProperty("quantity").GetInt32()).GetProperty("id").GetInt32();
        await using var onA = await MainClient.ConnectAsync(a, token, "store:1");
        await using var onB = await MainClient.ConnectAsync(b, token, "store:1");
        var first = await SellAsync(a, token, productId);
        Assert.Equal(first, Id(await onB.Next("transaction:created")));
        Assert.Equal(first, Id(await onA.Next("transaction:created")));

        var hung = Stopwatch.StartNew();
        await services.Redis.PauseAsync().WaitAsync(Wait);
        var degraded = WhenHealthAsync(a, "Degraded", hung);
        try
        {
            var slowest = TimeSpan.Zero;
            while (hung.Elapsed < Hang)
            {
                var watch = Stopwatch.StartNew();
                var sale = await SellAsync(a, token, productId);
                var answered = watch.Elapsed;
                Assert.Equal(sale, Id(await onA.Next("transaction:created")));
                Assert.True(watch.Elapsed < Quick, $"sale answered after {answered}, delivered on its node after {watch.Elapsed}");
                slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
                await Task.Delay(300).WaitAsync(Wait);
            }

            var degradedAfter = await degraded.WaitAsync(Wait);
            Assert.True(degradedAfter < TimeSpan.FromSeconds(2), $"/health/ready said Degraded only {degradedAfter} after the hang began");
            // The reason is in the details, which only an admin sees.
            Assert.Contains("not answering", (await a.GetAsync("/health/ready", admin)).GetRawText(), StringComparison.Ordinal);
        }
        finally
        {
            await services.Redis.ResumeAsync().WaitAsync(Wait);
        }

        await WhenHealthAsync(a, "Healthy", Stopwatch.StartNew()).WaitAsync(Wait);
        await WhenHealthAsync(b, "Healthy", Stopwatch.StartNew()).WaitAsync(Wait);

        // Cross-node delivery resumes; what is sold from now on reaches node B exactly once.
        var after = new List<string>();
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var sale = await SellAsync(a, token, productId);
            after.Add(sale);
            await Task.Delay(300).WaitAsync(Wait);
            if (onB.All("transaction:created").Any(e => Id(e) == sale))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "cross-node delivery did not resume");
        }

        for (var i = 0; i < 5; i++)
        {
            after.Add(await SellAsync(a, token, productId));
        }

        await Eventually(() => after.Skip(after.Count - 6).All(id => onB.All("transaction:created").Any(e => Id(e) == id)));
        await Task.Delay(500).WaitAsync(Wait);
        var seenOnB = onB.All("transaction:created").Select(Id).ToList();
        Assert.Equal(seenOnB.Count, seenOnB.Distinct().Count());
        var seenOnA = onA.All("transaction:created").Select(Id).ToList();
        Assert.Equal(seenOnA.Count, seenOnA.Distinct().Count());
        var metrics = new PrometheusText(await a.GetTextAsync("/metrics"));
        Assert.True(metrics.Sum("bms_realtime_adapter_dropped_total", "reason=\"unavailable\"") > 0, metrics.Text);
    }

    [ClusterFact]
    public async Task ConcurrentIdempotentSalesOnTwoNodesAreAppliedOnceWithoutErrorLogsAndCounted()
    {
        var database = services.NewDatabase();
        await using var a = await ServerNode.StartAsync("A", database, services.Redis.Configuration).WaitAsync(TimeSpan.FromMinutes(2));
        await using var b = await ServerNode.StartAsync("B", database, services.Redis.Configuration).WaitAsync(TimeSpan.FromMinutes(2));
        using var logs = new NodeLogs(output, a, b);
        var token = await a.LoginAsync("cashier", "cashier123!");
        var productId = (await a.GetAsync("/api/products", token)).EnumerateArray()
            .Where(p => p.GetProperty("storeId").GetInt32() == 1)
            .MaxBy(p => p.GetProperty("quantity").GetInt32()).GetProperty("id").GetInt32();

        var logStart = new[] { a.Log.Length, b.Log.Length };
        for (var round = 0; round < 3; round++)
        {
            var key = $"pos-retry-{round}-{Guid.NewGuid():N}";
            var body = new { storeId = 1, idempotencyKey = key, lines = new[] { new { productId, quantity = 1 } } };
            var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => PostAsync(i % 2 == 0 ? a : b, body, token))).WaitAsync(Wait);

            Assert.Single(answers.Select(r => r.Id).Distinct());
            Assert.Equal(1, answers.Count(r => !r.Replayed));
        }

        var duplicates = 0.0;
        var concurrent = 0.0;
        foreach (var node in new[] { a, b })
        {
            var metrics = new PrometheusText(await node.GetTextAsync("/metrics"));
            duplicates += metrics.Sum("bms_sales_duplicates_total");
            concurrent += metrics.Sum("bms_sales_duplicates_total", "concurrent=\"true\"");
        }

        Assert.Equal(3 * 19, duplicates);
        Assert.True(concurrent >= 1, $"concurrent duplicates counted: {concurrent}");
        foreach (var (node, start) in new[] { (a, logStart[0]), (b, logStart[1]) })
        {
            // From the first sale on (a node's start-up may log a database that is still being created).
            var errors = node.Log[start..].Split('\n').Where(l => l.Contains("fail: Microsoft.EntityFrameworkCore", StringComparison.Ordinal) || l.Contains("duplicate key", StringComparison.Ordinal)).ToList();
            Assert.True(errors.Count == 0, $"node {node.Name} logged:\n{string.Join('\n', errors)}");
        }
    }

    private static string Id(JsonElement envelope) => envelope.GetProperty("data").GetProperty("id").ToString();

    private static async Task<string> SellAsync(ServerNode node, string token, int productId) =>
        (await node.PostAsync("/api/transactions", new { storeId = 1, lines = new[] { new { productId, quantity = 1 } } }, token)).GetProperty("id").ToString();

    private static async Task<(string Id, bool Replayed)> PostAsync(ServerNode node, object body, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/transactions") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await node.Http.SendAsync(request).WaitAsync(Wait);
        var text = await response.Content.ReadAsStringAsync().WaitAsync(Wait);
        Assert.True(response.IsSuccessStatusCode, $"POST /api/transactions on {node.Name}: {(int)response.StatusCode} {text}");
        return (JsonDocument.Parse(text).RootElement.GetProperty("id").ToString(), response.Headers.Contains("Idempotent-Replayed"));
    }

    /// <summary>Polls <c>/health/ready</c> until its status is <paramref name="status"/>; the time on <paramref name="clock"/> then.</summary>
    private static async Task<TimeSpan> WhenHealthAsync(ServerNode node, string status, Stopwatch clock)
    {
        using var http = new HttpClient { BaseAddress = node.Url, Timeout = TimeSpan.FromSeconds(10) };
        while (true)
        {
            using var response = await http.GetAsync("/health/ready").WaitAsync(Wait);
            var body = await response.Content.ReadAsStringAsync().WaitAsync(Wait);
            if (JsonDocument.Parse(body).RootElement.GetProperty("status").GetString() == status)
            {
                return clock.Elapsed;
            }

            Assert.True(clock.Elapsed < Wait, $"/health/ready on {node.Name} never said {status}: {body}");
            await Task.Delay(50).WaitAsync(Wait);
        }
    }

    private static Task Eventually(Func<bool> condition) =>
        Waits.UntilAsync(condition, within: Wait, poll: TimeSpan.FromMilliseconds(50));

    /// <summary>Writes the nodes' logs to the test output when the test ends (shown for failed tests).</summary>
    private sealed class NodeLogs(ITestOutputHelper output, params ServerNode[] nodes) : IDisposable
    {
        public void Dispose()
        {
            foreach (var node in nodes)
            {
                output.WriteLine($"----- node {node.Name} -----");
                output.WriteLine(node.Log);
            }
        }
    }
}
