using System.Globalization;
using Bms.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Bms.Server.Tests;

[Collection(ProcessWideMetricsCollection.Name)]
public sealed class RealtimeMetricTagTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RefusedEventsWithUniqueNamesDoNotGrowTheMetricsAnswer()
    {
        await using var host = await BmsServerHost.StartAsync(new Dictionary<string, string>
        {
            ["Bms:Realtime:EventBurst"] = "1000",
            ["Bms:Realtime:EventsPerSecond"] = "1000",
        });
        await using var client = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token = await host.TokenAsync("cashier") });
        Assert.True(client.IsConnected, $"connect failed: {client.ConnectError}");

        var first = await client.EmitWithAckAsync("drop:tables", 1);
        Assert.Equal("forbidden", first.GetProperty("error").GetString());
        var admin = await host.TokenAsync("admin");
        var before = await ScrapeWhenRefusedCountIsAsync(host, admin, 1);

        // Names a client chose freely: each would become a new time series if it were used as a tag.
        for (var i = 0; i < 200; i++)
        {
            var name = "spam:" + i.ToString("D4", CultureInfo.InvariantCulture) + ":" + new string('x', 50);
            var ack = await client.EmitWithAckAsync(name, 1);
            Assert.Equal("forbidden", ack.GetProperty("error").GetString());
        }

        var after = await ScrapeWhenRefusedCountIsAsync(host, admin, 201);
        output.WriteLine($"/metrics: {before.Length} bytes after 1 refused event, {after.Length} bytes after 201");

        Assert.DoesNotContain("spam:", after, StringComparison.Ordinal);
        Assert.True(after.Length - before.Length < 2048, $"/metrics grew from {before.Length} to {after.Length} bytes");
    }

    /// <summary>Scrapes <c>/metrics</c> (as an admin) until the refused-events counters add up to <paramref name="expected"/>.</summary>
    private static async Task<string> ScrapeWhenRefusedCountIsAsync(BmsServerHost host, string adminToken, long expected)
    {
        var deadline = DateTime.UtcNow + BmsServerHost.Timeout;
        while (true)
        {
            using var response = await host.Http.SendAsync(BmsServerHost.Request(HttpMethod.Get, "/metrics", adminToken))
                .WaitAsync(BmsServerHost.Timeout);
            response.EnsureSuccessStatusCode();
            var text = await response.Content.ReadAsStringAsync().WaitAsync(BmsServerHost.Timeout);
            var total = text.Split('\n')
                .Where(line => line.StartsWith("bms_realtime_events_refused", StringComparison.Ordinal))
                .Sum(line => long.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture));
            if (total >= expected || DateTime.UtcNow > deadline)
            {
                Assert.Equal(expected, total);
                return text;
            }

            await Task.Delay(200).WaitAsync(BmsServerHost.Timeout);
        }
    }
}
