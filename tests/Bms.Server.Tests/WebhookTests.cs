using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bms.Server.Tests.Infrastructure;

namespace Bms.Server.Tests;

/// <summary>Outbound webhooks against a real local HTTP receiver, with the real backend (including restarts).</summary>
public sealed class WebhookTests
{
    private static readonly Dictionary<string, string> FastRetries = new()
    {
        ["Bms:Routing:Webhooks:AllowHttp"] = "true",
        ["Bms:Routing:Webhooks:RetryDelay"] = "00:00:00.200",
        ["Bms:Routing:Webhooks:RetryDelayMax"] = "00:00:00.500",
        ["Bms:Routing:Webhooks:PollInterval"] = "00:00:00.100",
    };

    [Fact]
    public async Task AHookGetsMatchingEventsSignedAfterTheReceiverFailedTheFirstAttempts()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailFirst = 2;
        await using var host = await BmsServerHost.StartAsync(FastRetries);
        var admin = await host.TokenAsync("admin");
        var (status, created, _) = await host.SendAsync(HttpMethod.Post, "/api/routing/webhooks", admin,
            new { name = "erp", url = receiver.Url, @event = "inventory:updated", filter = new { productId = 2 } });
        Assert.Equal(HttpStatusCode.Created, status);
        var hookId = created.GetProperty("webhook").GetProperty("id").GetString();
        var secret = created.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);

        var manager = await host.TokenAsync("manager");
        await AdjustAsync(host, manager, productId: 1);
        await AdjustAsync(host, manager, productId: 2);
        await receiver.WaitUntilAsync(r => r.Any(x => x.Status == 200));

        var requests = receiver.Requests;
        Assert.Equal([500, 500, 200], requests.Select(r => r.Status));
        Assert.Single(requests.Select(r => r.Headers["X-Bms-Event-Id"]).Distinct());
        foreach (var request in requests)
        {
            var envelope = JsonDocument.Parse(request.Body).RootElement;
            Assert.Equal("inventory:updated", envelope.GetProperty("type").GetString());
            Assert.Equal(2, envelope.GetProperty("data").GetProperty("productId").GetInt32());
            Assert.Equal(envelope.GetProperty("id").GetString(), request.Headers["X-Bms-Event-Id"]);
            Assert.Equal("inventory:updated", request.Headers["X-Bms-Event"]);
            AssertSigned(request, secret);
        }

        // Changing one byte of the body breaks the signature.
        var tampered = requests[^1] with { Body = requests[^1].Body.Replace("\"productId\":2", "\"productId\":3", StringComparison.Ordinal) };
        Assert.NotEqual(requests[^1].Body, tampered.Body);
        Assert.False(IsSignatureValid(tampered, secret));

        var log = await GetAsync(host, $"/api/routing/webhooks/{hookId}/deliveries", admin);
        var entry = Assert.Single(log.EnumerateArray());
        Assert.Equal("delivered", entry.GetProperty("status").GetString());
        Assert.Equal(3, entry.GetProperty("attempts").GetInt32());
        Assert.Equal(200, entry.GetProperty("lastStatusCode").GetInt32());
        var hook = await GetAsync(host, $"/api/routing/webhooks/{hookId}", admin);
        Assert.Equal(0, hook.GetProperty("consecutiveFailures").GetInt32());
        Assert.Equal(0, hook.GetProperty("pending").GetInt32());
    }

    [Fact]
    public async Task QueuedDeliveriesSurviveAServerRestartAndEachEventIsAcceptedOnce()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Healthy = false;
        // A claim left by a stop that cut a send short expires quickly here (the default is minutes).
        await using var server = BmsServerHost.Create(new BmsServerHostOptions { Settings = new Dictionary<string, string>(FastRetries)
        {
            ["Bms:Routing:Webhooks:RequestTimeout"] = "00:00:02",
            ["Bms:Routing:Webhooks:ClaimDuration"] = "00:00:03",
        },
        });
        await server.StartServerAsync();
        var admin = await server.TokenAsync("admin");
        var (status, created, _) = await server.SendAsync(HttpMethod.Post, "/api/routing/webhooks", admin,
            new { name = "warehouse", url = receiver.Url, @event = "inventory:updated" });
        Assert.Equal(HttpStatusCode.Created, status);
        var hookId = created.GetProperty("webhook").GetProperty("id").GetString();
        var manager = await server.TokenAsync("manager");
        for (var productId = 1; productId <= 5; productId++)
        {
            var (adjusted, body, _) = await server.SendAsync(HttpMethod.Post, "/api/inventory/adjust", manager, new { productId, delta = 1, reason = "count" });
            Assert.True(adjusted == HttpStatusCode.OK, body.ToString());
        }

        // Every event was attempted (and refused) at least once before the server goes down with the queue full.
        await receiver.WaitUntilAsync(r => r.Select(x => x.Headers["X-Bms-Event-Id"]).Distinct().Count() == 5);

        // ...and its refusal is on record: a send the stop cuts short is not counted as an attempt.
        await Eventually(async () => (await GetAsync(server, $"/api/routing/webhooks/{hookId}/deliveries", admin))
            .EnumerateArray().Count(e => e.GetProperty("attempts").GetInt32() >= 1) == 5);
        await server.StopServerAsync();
        var refusedBeforeRestart = receiver.Requests.Count;
        receiver.Healthy = true;

        await server.StartServerAsync();
        await receiver.WaitUntilAsync(r => r.Where(x => x.Status == 200).Select(x => x.Headers["X-Bms-Event-Id"]).Distinct().Count() == 5);
        admin = await server.TokenAsync("admin");
        await Eventually(async () => (await GetAsync(server, $"/api/routing/webhooks/{hookId}/deliveries?status=pending", admin)).GetArrayLength() == 0);

        var accepted = receiver.Requests.Where(r => r.Status == 200).ToList();
        Assert.Equal(5, accepted.Count);
        Assert.Equal(5, accepted.Select(r => r.Headers["X-Bms-Event-Id"]).Distinct().Count());
        Assert.True(refusedBeforeRestart >= 5);
        var log = await GetAsync(server, $"/api/routing/webhooks/{hookId}/deliveries", admin);
        Assert.Equal(5, log.GetArrayLength());
        Assert.All(log.EnumerateArray(), e => Assert.True(e.GetProperty("attempts").GetInt32() >= 2, e.GetRawText()));
    }

    [Fact]
    public async Task AHookIsDisabledAfterTheConfiguredFailuresAndItsQueueResumesWhenEnabledAgain()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Healthy = false;
        await using var host = await BmsServerHost.StartAsync(new Dictionary<string, string>(FastRetries)
        {
            ["Bms:Routing:Webhooks:DisableAfterFailures"] = "3",
        });
        var admin = await host.TokenAsync("admin");
        var (_, created, _) = await host.SendAsync(HttpMethod.Post, "/api/routing/webhooks", admin,
            new { name = "flaky", url = receiver.Url, @event = "inventory:updated" });
        var hookId = created.GetProperty("webhook").GetProperty("id").GetString();
        var manager = await host.TokenAsync("manager");
        await AdjustAsync(host, manager, productId: 1);

        await Eventually(async () => !(await GetAsync(host, $"/api/routing/webhooks/{hookId}", admin)).GetProperty("isEnabled").GetBoolean());
        var hook = await GetAsync(host, $"/api/routing/webhooks/{hookId}", admin);
        Assert.Equal(3, hook.GetProperty("consecutiveFailures").GetInt32());
        Assert.Contains("503", hook.GetProperty("disabledReason").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, receiver.Requests.Count);

        // Disabled: nothing more is sent, and new events are not queued for it.
        await AdjustAsync(host, manager, productId: 2);
        await Task.Delay(TimeSpan.FromSeconds(1)).WaitAsync(BmsServerHost.Timeout);
        Assert.Equal(3, receiver.Requests.Count);
        Assert.Equal(1, (await GetAsync(host, $"/api/routing/webhooks/{hookId}", admin)).GetProperty("pending").GetInt32());

        receiver.Healthy = true;
        var (updated, body, _) = await host.SendAsync(HttpMethod.Put, $"/api/routing/webhooks/{hookId}", admin, new { isEnabled = true });
        Assert.True(updated == HttpStatusCode.OK, body.ToString());
        await receiver.WaitUntilAsync(r => r.Any(x => x.Status == 200));
        await Eventually(async () => (await GetAsync(host, $"/api/routing/webhooks/{hookId}", admin)).GetProperty("pending").GetInt32() == 0);
        Assert.Equal(0, (await GetAsync(host, $"/api/routing/webhooks/{hookId}", admin)).GetProperty("consecutiveFailures").GetInt32());
    }

    [Fact]
    public async Task TheTestEndpointSendsASignedRequestAndHooksAreValidatedAndAdminOnly()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await BmsServerHost.StartAsync(new Dictionary<string, string> { ["Bms:Routing:Webhooks:AllowHttp"] = "true" });
        var admin = await host.TokenAsync("admin");
        var (_, created, _) = await host.SendAsync(HttpMethod.Post, "/api/routing/webhooks", admin,
            new { name = "test", url = receiver.Url, @event = "low-stock:alert", secret = "a-secret-of-enough-length" });
        var hookId = created.GetProperty("webhook").GetProperty("id").GetString();

        var (status, result, _) = await host.SendAsync(HttpMethod.Post, $"/api/routing/webhooks/{hookId}/test", admin);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(result.GetProperty("ok").GetBoolean(), result.GetRawText());
        Assert.Equal(200, result.GetProperty("statusCode").GetInt32());
        var request = Assert.Single(receiver.Requests);
        Assert.Equal("webhook:test", request.Headers["X-Bms-Event"]);
        AssertSigned(request, "a-secret-of-enough-length");

        var (invalid, problem, _) = await host.SendAsync(HttpMethod.Post, "/api/routing/webhooks", admin,
            new { name = "bad", url = "ftp://example.com", @event = "low-stock:alert", filter = new { colour = "red" } });
        Assert.Equal(HttpStatusCode.BadRequest, invalid);
        Assert.True(problem.GetProperty("errors").TryGetProperty("url", out _), problem.GetRawText());
        Assert.Contains("unknown field 'colour'", problem.GetProperty("errors").GetProperty("filter")[0].GetString(), StringComparison.Ordinal);

        var (forbidden, _, _) = await host.SendAsync(HttpMethod.Get, "/api/routing/webhooks", await host.TokenAsync("manager"));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        var list = await GetAsync(host, "/api/routing/webhooks", admin);
        Assert.False(list[0].TryGetProperty("secret", out _));
    }

    [Fact]
    public async Task OnlyHttpsHooksAreAcceptedUnlessHttpIsAllowed()
    {
        await using var host = await BmsServerHost.StartAsync();
        var admin = await host.TokenAsync("admin");
        var (status, problem, _) = await host.SendAsync(HttpMethod.Post, "/api/routing/webhooks", admin,
            new { name = "plain", url = "http://127.0.0.1:9/hook", @event = "low-stock:alert" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("https", problem.GetProperty("errors").GetProperty("url")[0].GetString(), StringComparison.Ordinal);
    }

    private static void AssertSigned(ReceivedRequest request, string secret)
    {
        var timestamp = long.Parse(request.Headers["X-Bms-Timestamp"], CultureInfo.InvariantCulture);
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - timestamp, -300, 300);
        Assert.True(IsSignatureValid(request, secret), $"bad signature {request.Headers["X-Bms-Signature"]}");
    }

    /// <summary>The receiver's check, as documented: HMAC-SHA256 over "timestamp.body" with the hook's secret.</summary>
    private static bool IsSignatureValid(ReceivedRequest request, string secret)
    {
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(request.Headers["X-Bms-Timestamp"] + "." + request.Body)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(request.Headers["X-Bms-Signature"]));
    }

    private static async Task AdjustAsync(BmsServerHost host, string token, int productId)
    {
        var (status, body, _) = await host.SendAsync(HttpMethod.Post, "/api/inventory/adjust", token, new { productId, delta = 1, reason = "count" });
        Assert.True(status == HttpStatusCode.OK, body.ToString());
    }

    private static async Task<JsonElement> GetAsync(BmsServerHost host, string path, string token)
    {
        var (status, body, _) = await host.SendAsync(HttpMethod.Get, path, token);
        Assert.True(status == HttpStatusCode.OK, $"{path}: {status} {body}");
        return body;
    }

    private static Task Eventually(Func<Task<bool>> condition) =>
        Waits.UntilAsync(() => condition().WaitAsync(BmsServerHost.Timeout), within: TimeSpan.FromSeconds(60), poll: TimeSpan.FromMilliseconds(100));
}
