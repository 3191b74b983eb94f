using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bms.Server.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Bms.Server.Tests;

public sealed class AuthApiTests
{
    private static readonly TimeSpan Timeout = BmsServerHost.Timeout;

    [Fact]
    public async Task LoginReturnsTokensAndTheUserWithRolesAndStores()
    {
        await using var host = await BmsServerHost.StartAsync();

        var login = await host.LoginAsync("manager", "manager123!");

        Assert.False(string.IsNullOrEmpty(login.GetProperty("accessToken").GetString()));
        Assert.False(string.IsNullOrEmpty(login.GetProperty("refreshToken").GetString()));
        Assert.True(login.GetProperty("expiresAt").GetDateTime() > DateTime.UtcNow);
        var user = login.GetProperty("user");
        Assert.Equal("manager", user.GetProperty("username").GetString());
        Assert.True(user.GetProperty("id").GetInt32() > 0);
        Assert.Equal(["manager"], user.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal([1], user.GetProperty("storeIds").EnumerateArray().Select(s => s.GetInt32()));
    }

    [Theory]
    [InlineData("manager", "wrong-password")]
    [InlineData("nobody", "manager123!")]
    public async Task WrongCredentialsAreAnswered401WithProblemDetails(string username, string password)
    {
        await using var host = await BmsServerHost.StartAsync();

        using var response = await host.Http.PostAsJsonAsync("/api/auth/login", new { username, password }).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Timeout);
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.Equal("invalid_credentials", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task RefreshRotatesThePairAndAReusedTokenRevokesItsWholeFamily()
    {
        await using var host = await BmsServerHost.StartAsync();
        var login = await host.LoginAsync("cashier", "cashier123!");
        var first = login.GetProperty("refreshToken").GetString();

        var (status, rotated, _) = await host.SendAsync(HttpMethod.Post, "/api/auth/refresh", null, new { refreshToken = first });
        Assert.Equal(HttpStatusCode.OK, status);
        var second = rotated.GetProperty("refreshToken").GetString();
        Assert.NotEqual(first, second);
        Assert.Equal("cashier", rotated.GetProperty("user").GetProperty("username").GetString());
        var (meStatus, _, _) = await host.SendAsync(HttpMethod.Get, "/api/auth/me", rotated.GetProperty("accessToken").GetString());
        Assert.Equal(HttpStatusCode.OK, meStatus);

        var (reuseStatus, reuse, _) = await host.SendAsync(HttpMethod.Post, "/api/auth/refresh", null, new { refreshToken = first });
        Assert.Equal(HttpStatusCode.Unauthorized, reuseStatus);
        Assert.Equal("refresh_token_reused", reuse.GetProperty("code").GetString());

        // The legitimate successor is revoked too: the family is compromised.
        var (afterStatus, _, _) = await host.SendAsync(HttpMethod.Post, "/api/auth/refresh", null, new { refreshToken = second });
        Assert.Equal(HttpStatusCode.Unauthorized, afterStatus);
    }

    [Fact]
    public async Task AnUnknownRefreshTokenIsRefused()
    {
        await using var host = await BmsServerHost.StartAsync();

        var (status, body, _) = await host.SendAsync(HttpMethod.Post, "/api/auth/refresh", null, new { refreshToken = "not-a-token" });

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_refresh_token", body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task TerminalSignInGivesATokenWithRolePosForItsStore()
    {
        await using var host = await BmsServerHost.StartAsync();

        var token = await host.TerminalTokenAsync();
        var (status, me, _) = await host.SendAsync(HttpMethod.Get, "/api/auth/me", token);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("terminal", me.GetProperty("kind").GetString());
        Assert.Equal("POS-001", me.GetProperty("id").GetString());
        Assert.Equal(["pos"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal([1], me.GetProperty("storeIds").EnumerateArray().Select(s => s.GetInt32()));

        var (wrong, _, _) = await host.SendAsync(HttpMethod.Post, "/api/auth/terminal", null, new { terminalId = "POS-001", secret = "nope" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong);
    }

    [Fact]
    public async Task ForgedExpiredAndMissingTokensAreAnswered401WithProblemDetails()
    {
        await using var host = await BmsServerHost.StartAsync();
        var forged = TestTokens.Create(key: TestTokens.ForeignKey);
        var expired = TestTokens.Create(expires: DateTime.UtcNow.AddMinutes(-10));
        var garbage = "not.a.jwt";

        foreach (var token in new string?[] { forged, expired, garbage, null })
        {
            var (status, body, response) = await host.SendAsync(HttpMethod.Get, "/api/products", token);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(401, body.GetProperty("status").GetInt32());
        }

        var valid = TestTokens.Create(stamp: await host.SecurityStampAsync(1));
        var (ok, _, _) = await host.SendAsync(HttpMethod.Get, "/api/products", valid);
        Assert.Equal(HttpStatusCode.OK, ok);
    }

    [Fact]
    public async Task TheServerRefusesToStartOutsideDevelopmentWithTheBuiltInKey()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => BmsServerHost.StartAsync(environment: "Production"));
        Assert.Contains("development key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheServerStartsOutsideDevelopmentWithAConfiguredKey()
    {
        await using var host = await BmsServerHost.StartAsync(
            new Dictionary<string, string> { ["Bms:Jwt:SigningKey"] = "production-key-for-the-test-0123456789-abcdefghij" },
            environment: "Production");

        var login = await host.LoginAsync("admin", "admin123!");
        Assert.Equal("admin", login.GetProperty("user").GetProperty("username").GetString());
    }
}
