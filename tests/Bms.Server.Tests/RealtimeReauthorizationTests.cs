using System.Net;
using Bms.Realtime.Server.Namespaces;
using Bms.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bms.Server.Tests;

public sealed class RealtimeReauthorizationTests
{
    [Fact]
    public async Task ARefreshWithATokenThatLacksTheNamespacesRoleIsRefusedAndDisconnects()
    {
        await using var host = await BmsServerHost.StartAsync();
        await using var admin = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/admin", new { token = await host.TokenAsync("admin") });
        Assert.True(admin.IsConnected, $"connect failed: {admin.ConnectError}");
        var managerOnly = TestTokens.Create(subject: "1", role: "manager", stamp: await host.SecurityStampAsync(1));

        var ack = await admin.EmitWithAckAsync("auth:refresh", new { token = managerOnly });

        Assert.False(ack.GetProperty("ok").GetBoolean());
        Assert.Equal("forbidden", ack.GetProperty("error").GetString());
        Assert.Equal("io server disconnect", await admin.Disconnected.WaitAsync(BmsServerHost.Timeout));
    }

    [Fact]
    public async Task ADemotedAdminsSocketsAreDisconnectedAndAdminIsRefusedAfterwards()
    {
        await using var host = await BmsServerHost.StartAsync();
        var admin = await host.TokenAsync("admin");
        var (promoted, _, _) = await host.SendAsync(HttpMethod.Put, "/api/users/2", admin, new { roles = new[] { "admin" } });
        Assert.Equal(HttpStatusCode.OK, promoted);
        var login = await host.LoginAsync("manager", BmsServerHost.DemoPassword("manager"));
        var token = login.GetProperty("accessToken").GetString();
        await using var onAdmin = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/admin", new { token });
        await using var onMain = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token });
        await using var bystander = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/admin", new { token = admin });
        Assert.True(onAdmin.IsConnected && onMain.IsConnected && bystander.IsConnected);

        var (demoted, _, _) = await host.SendAsync(HttpMethod.Put, "/api/users/2", admin, new { roles = new[] { "manager" } });
        Assert.Equal(HttpStatusCode.OK, demoted);

        Assert.Equal("io server disconnect", await onAdmin.Disconnected.WaitAsync(BmsServerHost.Timeout));
        Assert.Equal("io server disconnect", await onMain.Disconnected.WaitAsync(BmsServerHost.Timeout));
        var (_, pair, _) = await host.SendAsync(HttpMethod.Post, "/api/auth/refresh", null, new { refreshToken = login.GetProperty("refreshToken").GetString() });
        await using var retry = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/admin", new { token = pair.GetProperty("accessToken").GetString() });
        Assert.Equal("forbidden", retry.ConnectError!.Value.GetProperty("message").GetString());
        Assert.True(bystander.IsConnected);
    }

    [Fact]
    public async Task ARefreshMovesTheRoleRoomsAndLeavesStoreRoomsNoLongerAllowed()
    {
        await using var host = await BmsServerHost.StartAsync();
        await using var client = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token = await host.TokenAsync("manager") });
        var joined = await client.EmitWithAckAsync("room:join", "store:1");
        Assert.True(joined.GetProperty("ok").GetBoolean());
        var otherStore = TestTokens.Create(subject: "2", role: "cashier", storeId: 2, stamp: await host.SecurityStampAsync(2));

        var ack = await client.EmitWithAckAsync("auth:refresh", new { token = otherStore });

        Assert.True(ack.GetProperty("ok").GetBoolean());
        var socket = host.Services.GetRequiredService<RealtimeServer>().Of("/main").Sockets.Values.Single();
        Assert.Contains("role:cashier", socket.Rooms);
        Assert.DoesNotContain("role:manager", socket.Rooms);
        Assert.DoesNotContain("store:1", socket.Rooms);
        Assert.Contains("user:2", socket.Rooms);
        Assert.True(client.IsConnected);
    }
}
