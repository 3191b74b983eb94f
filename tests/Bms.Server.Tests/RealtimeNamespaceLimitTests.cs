using Bms.Server.Tests.Infrastructure;

namespace Bms.Server.Tests;

public sealed class RealtimeNamespaceLimitTests
{
    [Fact]
    public async Task TheDefaultNamespaceIsRefusedWithOrWithoutAToken()
    {
        await using var host = await BmsServerHost.StartAsync();
        await using var anonymous = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/");
        await using var admin = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/", new { token = await host.TokenAsync("admin") });

        Assert.False(anonymous.IsConnected);
        Assert.Equal("Invalid namespace", anonymous.ConnectError!.Value.GetProperty("message").GetString());
        Assert.False(admin.IsConnected);
        Assert.Equal("Invalid namespace", admin.ConnectError!.Value.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("/main", "manager")]
    [InlineData("/admin", "admin")]
    [InlineData("/pos", "cashier")]
    public async Task EveryNamespaceAppliesTheEventRateLimit(string nsp, string user)
    {
        await using var host = await BmsServerHost.StartAsync(new Dictionary<string, string>
        {
            ["Bms:Realtime:EventBurst"] = "3",
            ["Bms:Realtime:EventsPerSecond"] = "1",
        });
        await using var client = await SocketIoTestClient.ConnectAsync(host.BaseAddress, nsp, new { token = await host.TokenAsync(user) });
        Assert.True(client.IsConnected, $"connect failed: {client.ConnectError}");

        var refused = false;
        for (var i = 0; i < 20 && !refused; i++)
        {
            var ack = await client.EmitWithAckAsync("ping");
            refused = !ack.GetProperty("ok").GetBoolean() && ack.GetProperty("error").GetString() == "rate_limited";
        }

        Assert.True(refused, $"no ping on {nsp} was rate-limited");
    }

    [Theory]
    [InlineData("/main", "manager")]
    [InlineData("/admin", "admin")]
    [InlineData("/pos", "cashier")]
    public async Task EveryNamespaceAppliesTheConnectionLimit(string nsp, string user)
    {
        await using var host = await BmsServerHost.StartAsync(new Dictionary<string, string> { ["Bms:Realtime:ConnectionsPerUserPerMinute"] = "2" });
        var token = await host.TokenAsync(user);
        await using var first = await SocketIoTestClient.ConnectAsync(host.BaseAddress, nsp, new { token });
        await using var second = await SocketIoTestClient.ConnectAsync(host.BaseAddress, nsp, new { token });
        await using var third = await SocketIoTestClient.ConnectAsync(host.BaseAddress, nsp, new { token });

        Assert.True(first.IsConnected && second.IsConnected, $"connect failed: {first.ConnectError} {second.ConnectError}");
        Assert.Equal("rate_limited", third.ConnectError!.Value.GetProperty("message").GetString());
    }
}
