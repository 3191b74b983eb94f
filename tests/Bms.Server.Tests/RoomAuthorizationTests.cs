using Bms.Server.Tests.Infrastructure;

namespace Bms.Server.Tests;

public sealed class RoomAuthorizationTests
{
    [Fact]
    public async Task RoomJoinAndLeaveFollowTheStoreTerminalAndProductRules()
    {
        await using var host = await BmsServerHost.StartAsync();
        await using var cashier = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token = await host.TokenAsync("cashier") });
        await using var terminal = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/pos", new { token = await host.TerminalTokenAsync() });
        await using var admin = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token = await host.TokenAsync("admin") });

        var cases = new (SocketIoTestClient Client, string Event, object? Room, string? Error)[]
        {
            (cashier, "room:join", "store:1", null),
            (cashier, "room:join", "store:2", "forbidden"),
            (cashier, "room:join", "terminal:POS-001", "forbidden"),
            (cashier, "room:join", "product:5", null),
            (cashier, "room:join", "product:abc", "invalid_room"),
            (cashier, "room:join", "user:1", "invalid_room"),
            (cashier, "room:join", "role:admin", "invalid_room"),
            (cashier, "room:join", "bogus", "invalid_room"),
            (cashier, "room:join", 42, "invalid_room"),
            (cashier, "room:join", null, "invalid_room"),
            (cashier, "room:leave", "store:1", null),
            (cashier, "room:leave", "nonsense", "invalid_room"),
            (terminal, "room:join", "terminal:POS-001", null),
            (terminal, "room:join", "terminal:POS-002", "forbidden"),
            (terminal, "room:join", "store:1", null),
            (terminal, "room:join", "store:2", "forbidden"),
            (admin, "room:join", "store:2", null),
            (admin, "room:join", "terminal:POS-002", null),
        };

        foreach (var (client, name, room, error) in cases)
        {
            var ack = await client.EmitWithAckAsync(name, room);
            if (error is null)
            {
                Assert.True(ack.GetProperty("ok").GetBoolean(), $"{name} {room}: {ack}");
            }
            else
            {
                Assert.False(ack.GetProperty("ok").GetBoolean(), $"{name} {room}: {ack}");
                Assert.Equal(error, ack.GetProperty("error").GetString());
            }
        }
    }
}
