using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bms.Server.Auth;
using Bms.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bms.Server.Tests;

public sealed class SignInLimitTests
{
    [Fact]
    public async Task SignInAttemptsFromOneAddressBeyondTheLimitAreAnswered429WithRetryAfterAndACode()
    {
        await using var host = await BmsServerHost.StartAsync(new Dictionary<string, string> { ["Bms:SignIn:AttemptsPerAddress"] = "5" });

        // Different usernames, so only the address limit applies; the three endpoints share it.
        for (var i = 0; i < 3; i++)
        {
            var (status, _, _) = await host.SendAsync(HttpMethod.Post, "/api/auth/login", null, new { username = $"nobody{i}", password = "wrong" });
            Assert.Equal(HttpStatusCode.Unauthorized, status);
        }

        var (refreshStatus, _, _) = await host.SendAsync(HttpMethod.Post, "/api/auth/refresh", null, new { refreshToken = "not-a-token" });
        var (terminalStatus, _, _) = await host.SendAsync(HttpMethod.Post, "/api/auth/terminal", null, new { terminalId = "POS-404", secret = "wrong" });
        var (limited, body, response) = await host.SendAsync(HttpMethod.Post, "/api/auth/login", null, new { username = "manager", password = "manager123!" });
        var (refreshLimited, _, _) = await host.SendAsync(HttpMethod.Post, "/api/auth/refresh", null, new { refreshToken = "not-a-token" });
        var (terminalLimited, _, _) = await host.SendAsync(HttpMethod.Post, "/api/auth/terminal", null, new { terminalId = "POS-001", secret = "pos-secret-001" });

        Assert.Equal(HttpStatusCode.Unauthorized, refreshStatus);
        Assert.Equal(HttpStatusCode.Unauthorized, terminalStatus);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("too_many_attempts", body.GetProperty("code").GetString());
        Assert.Equal(429, body.GetProperty("status").GetInt32());
        Assert.InRange(response.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 60);
        Assert.Equal(HttpStatusCode.TooManyRequests, refreshLimited);
        Assert.Equal(HttpStatusCode.TooManyRequests, terminalLimited);
    }

    [Fact]
    public async Task FailuresForOneUsernameLockThatNameOnlyUntilTheWindowSlides()
    {
        await using var host = await BmsServerHost.StartAsync(new Dictionary<string, string>
        {
            ["Bms:SignIn:FailuresPerName"] = "3",
            ["Bms:SignIn:NameWindow"] = "00:00:03",
        });

        for (var i = 0; i < 3; i++)
        {
            var (status, _, _) = await host.SendAsync(HttpMethod.Post, "/api/auth/login", null, new { username = "Manager", password = "guess" + i });
            Assert.Equal(HttpStatusCode.Unauthorized, status);
        }

        // The right password does not help while the name is locked: the attacker learns nothing from it.
        var (locked, body, response) = await host.SendAsync(HttpMethod.Post, "/api/auth/login", null, new { username = "manager", password = "manager123!" });
        var (other, _, _) = await host.SendAsync(HttpMethod.Post, "/api/auth/login", null, new { username = "cashier", password = "cashier123!" });

        Assert.Equal(HttpStatusCode.TooManyRequests, locked);
        Assert.Equal("too_many_attempts", body.GetProperty("code").GetString());
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, other);

        // Successes are not charged, and the lock lifts once the failures leave the sliding window.
        var deadline = DateTime.UtcNow + BmsServerHost.Timeout;
        HttpStatusCode after;
        do
        {
            await Task.Delay(250);
            (after, _, _) = await host.SendAsync(HttpMethod.Post, "/api/auth/login", null, new { username = "manager", password = "manager123!" });
        }
        while (after == HttpStatusCode.TooManyRequests && DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.OK, after);
    }

    [Fact]
    public async Task FailuresForOneTerminalIdLockThatTerminal()
    {
        await using var host = await BmsServerHost.StartAsync(new Dictionary<string, string> { ["Bms:SignIn:FailuresPerName"] = "2" });

        for (var i = 0; i < 2; i++)
        {
            var (status, _, _) = await host.SendAsync(HttpMethod.Post, "/api/auth/terminal", null, new { terminalId = "POS-001", secret = "guess" + i });
            Assert.Equal(HttpStatusCode.Unauthorized, status);
        }

        var (locked, body, _) = await host.SendAsync(HttpMethod.Post, "/api/auth/terminal", null, new { terminalId = "pos-001", secret = "pos-secret-001" });

        Assert.Equal(HttpStatusCode.TooManyRequests, locked);
        Assert.Equal("too_many_attempts", body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task AWrongUsernameCostsAsMuchHashingAsAWrongPassword()
    {
        // A realistic hash cost, so the difference between "no such user" and "wrong password" would show.
        await using var host = await BmsServerHost.StartAsync(new Dictionary<string, string> { ["Bms:PasswordHasher:IterationCount"] = "100000" });
        await host.SendAsync(HttpMethod.Post, "/api/auth/login", null, new { username = "warm-up", password = "x" });

        var unknown = new List<double>();
        var wrongPassword = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            unknown.Add(await TimeLoginAsync(host, $"no-such-user-{i}"));
            wrongPassword.Add(await TimeLoginAsync(host, i % 2 == 0 ? "cashier" : "manager"));
        }

        var unknownMedian = unknown.Order().ElementAt(2);
        var wrongMedian = wrongPassword.Order().ElementAt(2);
        Assert.True(
            unknownMedian >= wrongMedian * 0.5,
            $"unknown user {unknownMedian:F1} ms vs wrong password {wrongMedian:F1} ms: [{string.Join(", ", unknown.Select(x => x.ToString("F1")))}] / [{string.Join(", ", wrongPassword.Select(x => x.ToString("F1")))}]");
    }

    [Fact]
    public async Task PasswordChecksBeyondTheConcurrencyBoundAreAnswered503InsteadOfPilingUp()
    {
        await using var host = await BmsServerHost.StartAsync(new Dictionary<string, string>
        {
            ["Bms:SignIn:MaxConcurrentHashes"] = "1",
            ["Bms:SignIn:HashQueueLimit"] = "0",
        });

        // The only hashing slot is taken (as by a long password check), so no attempt can start hashing.
        var guard = host.Services.GetRequiredService<SignInGuard>();
        var slot = await guard.EnterHashingAsync(CancellationToken.None);
        var attempts = Enumerable.Range(0, 4).Select(i =>
            host.SendAsync(HttpMethod.Post, "/api/auth/login", null, new { username = "manager", password = "wrong" + i }));
        var busy = await Task.WhenAll(attempts).WaitAsync(BmsServerHost.Timeout);
        slot.Dispose();
        var (afterwards, _, _) = await host.SendAsync(HttpMethod.Post, "/api/auth/login", null, new { username = "manager", password = "manager123!" });

        Assert.All(busy, r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.Status));
        Assert.All(busy, r => Assert.Equal("sign_in_busy", r.Body.GetProperty("code").GetString()));
        Assert.All(busy, r => Assert.NotNull(r.Response.Headers.RetryAfter));
        Assert.Equal(HttpStatusCode.OK, afterwards);
    }

    [Fact]
    public async Task TheDashboardSignInFormSharesTheAddressLimitAndAnswers429()
    {
        await using var host = await BmsServerHost.StartAsync(new Dictionary<string, string> { ["Bms:SignIn:AttemptsPerAddress"] = "2" }, dashboard: true);
        using var form = await SignInForm.OpenAsync(host.BaseAddress);

        using var first = await form.PostAsync("nobody", "wrong");
        using var second = await form.PostAsync("nobody2", "wrong");
        using var limited = await form.PostAsync("manager", "manager123!");
        var (api, _, _) = await host.SendAsync(HttpMethod.Post, "/api/auth/login", null, new { username = "manager", password = "manager123!" });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("Invalid username or password.", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Contains("Too many sign-in attempts", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(limited.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("bms.dashboard=", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.TooManyRequests, api);
    }

    private static async Task<double> TimeLoginAsync(BmsServerHost host, string username)
    {
        var watch = Stopwatch.StartNew();
        using var response = await host.Http.PostAsJsonAsync("/api/auth/login", new { username, password = "definitely-wrong" }).WaitAsync(BmsServerHost.Timeout);
        watch.Stop();
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        return watch.Elapsed.TotalMilliseconds;
    }
}
