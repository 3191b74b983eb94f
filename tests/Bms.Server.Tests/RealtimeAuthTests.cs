using Bms.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bms.Server.Tests;

public sealed class RealtimeAuthTests
{
    [Fact]
    public async Task EveryNamespaceAndRoleCombinationIsAllowedOrRefusedAsSpecified()
    {
        await using var host = await BmsServerHost.StartAsync();
        var tokens = new Dictionary<string, string>
        {
            ["admin"] = await host.TokenAsync("admin"),
            ["manager"] = await host.TokenAsync("manager"),
            ["cashier"] = await host.TokenAsync("cashier"),
            ["pos"] = await host.TerminalTokenAsync(),
        };
        var expected = new Dictionary<string, string[]>
        {
            ["/main"] = ["admin", "manager", "cashier", "pos"],
            ["/admin"] = ["admin"],
            ["/pos"] = ["cashier", "pos"],
        };

        foreach (var (nsp, allowed) in expected)
        {
            foreach (var (role, token) in tokens)
            {
                await using var client = await SocketIoTestClient.ConnectAsync(host.BaseAddress, nsp, new { token });
                if (allowed.Contains(role))
                {
                    Assert.True(client.IsConnected, $"{role} should connect to {nsp}: {client.ConnectError}");
                }
                else
                {
                    Assert.False(client.IsConnected, $"{role} should be refused on {nsp}");
                    Assert.Equal("forbidden", client.ConnectError!.Value.GetProperty("message").GetString());
                    Assert.Equal("forbidden", client.ConnectError!.Value.GetProperty("data").GetProperty("code").GetString());
                }
            }
        }
    }

    [Fact]
    public async Task OtherNamespacesDoNotExist()
    {
        await using var host = await BmsServerHost.StartAsync();
        await using var client = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/other", new { token = await host.TokenAsync("admin") });

        Assert.Equal("Invalid namespace", client.ConnectError!.Value.GetProperty("message").GetString());
    }

    [Fact]
    public async Task TheTokenIsAcceptedFromTheAuthPayloadTheBearerHeaderOrTheQuery()
    {
        await using var host = await BmsServerHost.StartAsync();
        var token = await host.TokenAsync("manager");

        await using var viaAuth = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token });
        await using var viaHeader = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", bearer: token);
        await using var viaQuery = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", queryToken: token);

        Assert.True(viaAuth.IsConnected);
        Assert.True(viaHeader.IsConnected);
        Assert.True(viaQuery.IsConnected);
    }

    [Fact]
    public async Task MissingForgedAndExpiredTokensGetConnectErrorsWithACode()
    {
        await using var host = await BmsServerHost.StartAsync();
        var cases = new (object? Auth, string Message)[]
        {
            (null, "unauthorized"),
            (new { token = "" }, "unauthorized"),
            (new { token = "garbage" }, "unauthorized"),
            (new { token = TestTokens.Create(key: TestTokens.ForeignKey) }, "unauthorized"),
            (new { token = TestTokens.Create(expires: DateTime.UtcNow.AddMinutes(-5)) }, "token_expired"),
        };

        foreach (var (auth, message) in cases)
        {
            await using var client = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", auth);
            Assert.False(client.IsConnected);
            var error = client.ConnectError!.Value;
            Assert.Equal(message, error.GetProperty("message").GetString());
            Assert.Equal(message, error.GetProperty("data").GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task ASocketIsToldAndDisconnectedWhenItsTokenExpires()
    {
        await using var host = await BmsServerHost.StartAsync();
        var token = TestTokens.Create(
            subject: "1", role: "admin", expires: DateTime.UtcNow.AddSeconds(3), issuedAt: DateTime.UtcNow.AddMinutes(-1), stamp: await host.SecurityStampAsync(1));
        await using var client = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token });
        Assert.True(client.IsConnected);

        var error = await client.WaitForEventAsync("error", e => e.GetProperty("code").GetString() == "token_expired", TimeSpan.FromSeconds(20));
        var reason = await client.Disconnected.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("token_expired", error.GetProperty("code").GetString());
        Assert.Equal("io server disconnect", reason);
    }

    [Fact]
    public async Task AuthRefreshWithANewTokenKeepsTheSocketPastTheOldExpiry()
    {
        // The server's clock is a FakeTimeProvider: the old token's expiry passes when the test says so.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await BmsServerHost.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(clock));
        clock.SetUtcNow(DateTimeOffset.UtcNow);
        var stamp = await host.SecurityStampAsync(1);
        var now = clock.GetUtcNow().UtcDateTime;
        var shortLived = TestTokens.Create(subject: "1", role: "admin", expires: now.AddSeconds(3), issuedAt: now.AddMinutes(-1), stamp: stamp);
        await using var client = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token = shortLived });

        var ack = await client.EmitWithAckAsync("auth:refresh", new { token = TestTokens.Create(subject: "1", role: "admin", stamp: stamp) });
        var other = await client.EmitWithAckAsync("auth:refresh", new { token = TestTokens.Create(subject: "2", role: "admin", stamp: await host.SecurityStampAsync(2)) });
        clock.Advance(TimeSpan.FromSeconds(5));

        // The marker: an acknowledged ping sent after the old expiry passed. Had the expiry timer fired, its "error"
        // and the disconnect would have come before this acknowledgement.
        var pong = await client.EmitWithAckAsync("ping");
        Assert.True(pong.GetProperty("ok").GetBoolean());
        Assert.True(ack.GetProperty("ok").GetBoolean());
        Assert.Equal("forbidden", other.GetProperty("error").GetString());
        Assert.True(client.IsConnected);
        Assert.Empty(client.EventsNamed("error"));
    }
}
