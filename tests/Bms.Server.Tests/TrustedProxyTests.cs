using System.Net;
using Bms.Server.Tests.Infrastructure;

namespace Bms.Server.Tests;

public sealed class TrustedProxyTests
{
    private const string Garbage = "garbage.not.a-token";

    [Fact]
    public async Task ThreeHundredTenGarbageTokenConnectsDoNotLockOutAValidManager()
    {
        // Default limits: 300 failed attempts per address per minute, authenticated connections counted per user.
        await using var host = await BmsServerHost.StartAsync();
        var token = await host.TokenAsync("manager");

        var codes = new List<string>();
        for (var batch = 0; batch < 31; batch++)
        {
            var attempts = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token = Garbage })));
            foreach (var attempt in attempts)
            {
                codes.Add(attempt.ConnectError?.GetProperty("message").GetString() ?? "connected");
                await attempt.DisposeAsync();
            }
        }

        await using var manager = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token });

        Assert.Equal(300, codes.Count(c => c == "unauthorized"));
        Assert.Equal(10, codes.Count(c => c == "rate_limited"));
        Assert.True(manager.IsConnected, $"manager refused: {manager.ConnectError}");
    }

    [Fact]
    public async Task ASocketClientBehindATrustedProxyIsLimitedByItsForwardedAddress()
    {
        await using var host = await BmsServerHost.StartAsync(new Dictionary<string, string>
        {
            ["Bms:TrustedProxies:0"] = "127.0.0.1",
            ["Bms:Realtime:ConnectionsPerIpPerMinute"] = "3",
        });

        var first = await AttemptsAsync(host, 4, new Dictionary<string, string> { ["X-Forwarded-For"] = "198.51.100.7, 203.0.113.7" });
        var other = await AttemptsAsync(host, 1, new Dictionary<string, string> { ["X-Forwarded-For"] = "203.0.113.8" });
        var rfc7239 = await AttemptsAsync(host, 1, new Dictionary<string, string> { ["Forwarded"] = "for=\"203.0.113.9:5000\";proto=http" });
        var sameViaRfc7239 = await AttemptsAsync(host, 1, new Dictionary<string, string> { ["Forwarded"] = "for=203.0.113.7" });

        Assert.Equal(["unauthorized", "unauthorized", "unauthorized", "rate_limited"], first);
        Assert.Equal(["unauthorized"], other);
        Assert.Equal(["unauthorized"], rfc7239);
        Assert.Equal(["rate_limited"], sameViaRfc7239);
    }

    [Fact]
    public async Task AnUntrustedPeersForwardedForIsIgnoredBySocketLimits()
    {
        await using var host = await BmsServerHost.StartAsync(new Dictionary<string, string>
        {
            ["Bms:TrustedProxies:0"] = "10.1.2.3",
            ["Bms:Realtime:ConnectionsPerIpPerMinute"] = "3",
        });

        var codes = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            codes.AddRange(await AttemptsAsync(host, 1, new Dictionary<string, string> { ["X-Forwarded-For"] = $"203.0.113.{i + 1}" }));
        }

        Assert.Equal(["unauthorized", "unauthorized", "unauthorized", "rate_limited"], codes);
    }

    [Fact]
    public async Task SignInLimitsFollowTheForwardedAddressOfATrustedProxyOnly()
    {
        await using var trusted = await BmsServerHost.StartAsync(new Dictionary<string, string>
        {
            ["Bms:TrustedProxies:0"] = "127.0.0.0/8",
            ["Bms:SignIn:AttemptsPerAddress"] = "2",
        });
        await using var untrusted = await BmsServerHost.StartAsync(new Dictionary<string, string>
        {
            ["Bms:TrustedProxies:0"] = "10.1.2.3",
            ["Bms:SignIn:AttemptsPerAddress"] = "2",
        });

        var behindProxy = await LoginsAsync(trusted, "203.0.113.7", "203.0.113.7", "203.0.113.7", "203.0.113.8");
        var spoofed = await LoginsAsync(untrusted, "203.0.113.1", "203.0.113.2", "203.0.113.3");

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.Unauthorized], behindProxy);
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], spoofed);
    }

    [Fact]
    public async Task TheDashboardCookieIsSecureWhenATrustedProxyTerminatesTls()
    {
        await using var host = await BmsServerHost.StartAsync(new Dictionary<string, string> { ["Bms:TrustedProxies:0"] = "127.0.0.1" }, dashboard: true);
        using var form = await SignInForm.OpenAsync(host.BaseAddress);

        using var viaTls = await form.PostAsync("manager", "manager123!", new Dictionary<string, string> { ["X-Forwarded-Proto"] = "https", ["X-Forwarded-For"] = "203.0.113.7" });
        using var plain = await form.PostAsync("manager", "manager123!");

        var secureCookie = DashboardCookie(viaTls);
        var plainCookie = DashboardCookie(plain);
        Assert.Contains("; secure", secureCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", secureCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; samesite=strict", secureCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("; secure", plainCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AnUntrustedPeersForwardedProtoDoesNotChangeTheCookie()
    {
        await using var host = await BmsServerHost.StartAsync(dashboard: true);
        using var form = await SignInForm.OpenAsync(host.BaseAddress);

        using var response = await form.PostAsync("manager", "manager123!", new Dictionary<string, string> { ["X-Forwarded-Proto"] = "https" });

        Assert.DoesNotContain("; secure", DashboardCookie(response), StringComparison.OrdinalIgnoreCase);
    }

    private static string DashboardCookie(HttpResponseMessage response)
    {
        Assert.True(response.Headers.TryGetValues("Set-Cookie", out var cookies), $"no cookie; status {(int)response.StatusCode}");
        return cookies.Single(c => c.StartsWith("bms.dashboard=", StringComparison.Ordinal));
    }

    private static async Task<List<string>> AttemptsAsync(BmsServerHost host, int count, IReadOnlyDictionary<string, string> headers)
    {
        var codes = new List<string>();
        for (var i = 0; i < count; i++)
        {
            await using var client = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token = Garbage }, headers: headers);
            codes.Add(client.ConnectError?.GetProperty("message").GetString() ?? "connected");
        }

        return codes;
    }

    private static async Task<List<HttpStatusCode>> LoginsAsync(BmsServerHost host, params string[] forwardedFor)
    {
        var statuses = new List<HttpStatusCode>();
        foreach (var address in forwardedFor)
        {
            using var request = BmsServerHost.Request(HttpMethod.Post, "/api/auth/login", null, new { username = "nobody", password = "wrong" });
            request.Headers.Add("X-Forwarded-For", address);
            var (status, _, _) = await host.SendAsync(request);
            statuses.Add(status);
        }

        return statuses;
    }
}
