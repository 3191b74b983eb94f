using System.Net;
using Bms.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bms.Server.Tests;

public sealed class SecurityStampTests
{
    [Fact]
    public async Task ADisabledUsersAccessTokenIsRefusedAtOnceOnRestAndSockets()
    {
        await using var host = await BmsServerHost.StartAsync();
        var token = await host.TokenAsync("cashier");
        await using var live = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token });
        Assert.True(live.IsConnected, $"connect failed: {live.ConnectError}");
        var (before, _, _) = await host.SendAsync(HttpMethod.Get, "/api/products", token);
        Assert.Equal(HttpStatusCode.OK, before);

        var (disabled, _, _) = await host.SendAsync(HttpMethod.Put, "/api/users/3", await host.TokenAsync("admin"), new { isActive = false });
        Assert.Equal(HttpStatusCode.OK, disabled);

        var (rest, _, _) = await host.SendAsync(HttpMethod.Get, "/api/products", token);
        var (sale, _, _) = await host.SendAsync(HttpMethod.Post, "/api/transactions", token, new { storeId = 1, lines = new[] { new { productId = 1, quantity = 1 } } });
        await using var again = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token });

        Assert.Equal(HttpStatusCode.Unauthorized, rest);
        Assert.Equal(HttpStatusCode.Unauthorized, sale);
        Assert.Equal("token_revoked", again.ConnectError!.Value.GetProperty("message").GetString());
        Assert.Equal("io server disconnect", await live.Disconnected.WaitAsync(BmsServerHost.Timeout));
    }

    [Fact]
    public async Task ARoleChangeEndsTheOldAccessTokensWhileTheRefreshTokenGetsOneWithTheNewRoles()
    {
        await using var host = await BmsServerHost.StartAsync();
        var login = await host.LoginAsync("manager", BmsServerHost.DemoPassword("manager"));
        var token = login.GetProperty("accessToken").GetString()!;
        await using var live = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token });
        Assert.True(live.IsConnected, $"connect failed: {live.ConnectError}");

        var (changed, _, _) = await host.SendAsync(HttpMethod.Put, "/api/users/2", await host.TokenAsync("admin"), new { roles = new[] { "cashier" } });
        Assert.Equal(HttpStatusCode.OK, changed);

        var (old, _, _) = await host.SendAsync(HttpMethod.Get, "/api/auth/me", token);
        var notice = await live.WaitForEventAsync("error", e => e.GetProperty("code").GetString() == "token_revoked");
        var (refreshed, pair, _) = await host.SendAsync(HttpMethod.Post, "/api/auth/refresh", null, new { refreshToken = login.GetProperty("refreshToken").GetString() });
        var (now, me, _) = await host.SendAsync(HttpMethod.Get, "/api/auth/me", pair.GetProperty("accessToken").GetString());

        Assert.Equal(HttpStatusCode.Unauthorized, old);
        Assert.Equal("token_revoked", notice.GetProperty("code").GetString());
        Assert.Equal("io server disconnect", await live.Disconnected.WaitAsync(BmsServerHost.Timeout));
        Assert.Equal(HttpStatusCode.OK, refreshed);
        Assert.Equal(HttpStatusCode.OK, now);
        Assert.Equal(["cashier"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task ReusingARefreshTokenEndsEveryAccessTokenOfTheUser()
    {
        await using var host = await BmsServerHost.StartAsync();
        var login = await host.LoginAsync("cashier", BmsServerHost.DemoPassword("cashier"));
        var first = login.GetProperty("accessToken").GetString();
        var stolen = login.GetProperty("refreshToken").GetString();
        var (rotated, pair, _) = await host.SendAsync(HttpMethod.Post, "/api/auth/refresh", null, new { refreshToken = stolen });
        Assert.Equal(HttpStatusCode.OK, rotated);
        var second = pair.GetProperty("accessToken").GetString();

        var (reused, _, _) = await host.SendAsync(HttpMethod.Post, "/api/auth/refresh", null, new { refreshToken = stolen });
        var (withFirst, _, _) = await host.SendAsync(HttpMethod.Get, "/api/auth/me", first);
        var (withSecond, _, _) = await host.SendAsync(HttpMethod.Get, "/api/auth/me", second);
        await using var socket = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token = second });

        Assert.Equal(HttpStatusCode.Unauthorized, reused);
        Assert.Equal(HttpStatusCode.Unauthorized, withFirst);
        Assert.Equal(HttpStatusCode.Unauthorized, withSecond);
        Assert.Equal("token_revoked", socket.ConnectError!.Value.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AStampChangedInTheDatabaseByAnotherNodeIsHonouredWithinTheCacheDuration()
    {
        await using var host = await BmsServerHost.StartAsync(new Dictionary<string, string> { ["Bms:Jwt:SecurityStampCacheDuration"] = "00:00:01" });
        var token = await host.TokenAsync("cashier");
        var (cached, _, _) = await host.SendAsync(HttpMethod.Get, "/api/auth/me", token);
        Assert.Equal(HttpStatusCode.OK, cached);

        // What another node does when it changes the user: a new stamp in the shared database, no local notice here.
        await host.WithDbAsync(db => db.Users.Where(u => u.Id == 3).ExecuteUpdateAsync(s => s.SetProperty(u => u.SecurityStamp, "changed-elsewhere")));

        var refused = false;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!refused && DateTime.UtcNow < deadline)
        {
            var (status, _, _) = await host.SendAsync(HttpMethod.Get, "/api/auth/me", token);
            refused = status == HttpStatusCode.Unauthorized;
            if (!refused)
            {
                await Task.Delay(100).WaitAsync(BmsServerHost.Timeout);
            }
        }

        Assert.True(refused, "the token was still accepted 20 s after its stamp changed in the database");
    }

    [Fact]
    public async Task ASocketWhoseStampChangedElsewhereIsDisconnectedOnItsNextEvent()
    {
        await using var host = await BmsServerHost.StartAsync(new Dictionary<string, string> { ["Bms:Jwt:SecurityStampCacheDuration"] = "00:00:01" });
        await using var client = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token = await host.TokenAsync("cashier") });
        Assert.True(client.IsConnected, $"connect failed: {client.ConnectError}");

        // Another node changed the user and its cluster notice never arrived here: only the shared database says so.
        await host.WithDbAsync(db => db.Users.Where(u => u.Id == 3).ExecuteUpdateAsync(s => s.SetProperty(u => u.SecurityStamp, "changed-elsewhere")));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!client.Disconnected.IsCompleted && DateTime.UtcNow < deadline)
        {
            await client.EmitAsync("ping");
            await Task.WhenAny(client.Disconnected, Task.Delay(200)).WaitAsync(BmsServerHost.Timeout);
        }

        Assert.Equal("io server disconnect", await client.Disconnected.WaitAsync(BmsServerHost.Timeout));
        Assert.Equal("token_revoked", client.EventsNamed("error").Last().GetProperty("code").GetString());
    }

    [Fact]
    public async Task AUserTokenWithoutASecurityStampIsRefused()
    {
        await using var host = await BmsServerHost.StartAsync();
        var withoutStamp = TestTokens.Create(subject: "1", role: "admin");

        var (status, _, _) = await host.SendAsync(HttpMethod.Get, "/api/auth/me", withoutStamp);
        await using var socket = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token = withoutStamp });

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("token_revoked", socket.ConnectError!.Value.GetProperty("message").GetString());
    }
}
