using System.Net;
using Bms.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bms.Server.Tests;

public sealed class HealthAndMetricsAccessTests
{
    private const string ScrapeToken = "scrape-token-0123456789-abcdefghijklmnop";

    [Fact]
    public async Task AnonymousHealthCallersGetTheStatusWithoutDescriptionsOrErrorText()
    {
        await using var host = await BmsServerHost.StartAsync(configure: b => b.Services.AddHealthChecks().AddCheck(
            "probe",
            () => HealthCheckResult.Unhealthy("probe description 10.0.0.9", new InvalidOperationException("secret exception text")),
            tags: ["ready"]));

        var (anonymousStatus, anonymous, _) = await host.SendAsync(HttpMethod.Get, "/health/ready", null);
        var (cashierStatus, cashier, _) = await host.SendAsync(HttpMethod.Get, "/health/ready", await host.TokenAsync("cashier"));
        var (adminStatus, admin, _) = await host.SendAsync(HttpMethod.Get, "/health/ready", await host.TokenAsync("admin"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, anonymousStatus);
        Assert.Equal("Unhealthy", anonymous.GetProperty("status").GetString());
        Assert.Equal("Unhealthy", anonymous.GetProperty("checks").GetProperty("probe").GetProperty("status").GetString());
        Assert.DoesNotContain("secret", anonymous.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("10.0.0.9", anonymous.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("Microsoft.EntityFrameworkCore", anonymous.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, cashierStatus);
        Assert.DoesNotContain("secret", cashier.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, adminStatus);
        Assert.Equal("secret exception text", admin.GetProperty("checks").GetProperty("probe").GetProperty("error").GetString());
    }

    [Fact]
    public async Task MetricsRequireAnAdminOrTheScrapeTokenByDefault()
    {
        await using var host = await BmsServerHost.StartAsync(new Dictionary<string, string> { ["Bms:Metrics:ScrapeToken"] = ScrapeToken });

        using var anonymous = await host.Http.GetAsync("/metrics").WaitAsync(BmsServerHost.Timeout);
        using var cashier = await host.Http.SendAsync(BmsServerHost.Request(HttpMethod.Get, "/metrics", await host.TokenAsync("cashier"))).WaitAsync(BmsServerHost.Timeout);
        using var wrongToken = await host.Http.SendAsync(BmsServerHost.Request(HttpMethod.Get, "/metrics", ScrapeToken + "x")).WaitAsync(BmsServerHost.Timeout);
        using var admin = await host.Http.SendAsync(BmsServerHost.Request(HttpMethod.Get, "/metrics", await host.TokenAsync("admin"))).WaitAsync(BmsServerHost.Timeout);
        using var scraper = await host.Http.SendAsync(BmsServerHost.Request(HttpMethod.Get, "/metrics", ScrapeToken)).WaitAsync(BmsServerHost.Timeout);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, cashier.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, scraper.StatusCode);
        Assert.Contains("# TYPE", await scraper.Content.ReadAsStringAsync().WaitAsync(BmsServerHost.Timeout), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsAreOpenOnlyWhenConfiguredSo()
    {
        await using var host = await BmsServerHost.StartAsync(new Dictionary<string, string> { ["Bms:Metrics:RequireAuth"] = "false" });

        using var anonymous = await host.Http.GetAsync("/metrics").WaitAsync(BmsServerHost.Timeout);

        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
    }

    [Fact]
    public async Task AShortScrapeTokenIsRefusedAtStart()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            BmsServerHost.StartAsync(new Dictionary<string, string> { ["Bms:Metrics:ScrapeToken"] = "short" }));

        Assert.Contains("ScrapeToken", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidSignInLimitsAndTrustedProxiesAreRefusedAtStart()
    {
        var limits = await Assert.ThrowsAnyAsync<Exception>(() =>
            BmsServerHost.StartAsync(new Dictionary<string, string> { ["Bms:SignIn:AttemptsPerAddress"] = "0" }));
        var proxies = await Assert.ThrowsAnyAsync<Exception>(() =>
            BmsServerHost.StartAsync(new Dictionary<string, string> { ["Bms:TrustedProxies:0"] = "not-an-address" }));

        Assert.Contains("Bms:SignIn:AttemptsPerAddress", limits.ToString(), StringComparison.Ordinal);
        Assert.Contains("Bms:TrustedProxies", proxies.ToString(), StringComparison.Ordinal);
    }
}
