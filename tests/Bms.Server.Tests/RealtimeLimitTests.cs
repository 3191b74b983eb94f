using System.Diagnostics.Metrics;
using Bms.Server.Tests.Infrastructure;

namespace Bms.Server.Tests;

public sealed class RealtimeLimitTests
{
    [Fact]
    public async Task AFloodOfEventsIsAnsweredRateLimitedAndThenDisconnected()
    {
        await using var host = await BmsServerHost.StartAsync(new Dictionary<string, string>
        {
            ["Bms:Realtime:EventBurst"] = "5",
            ["Bms:Realtime:EventsPerSecond"] = "1",
            ["Bms:Realtime:ViolationsBeforeDisconnect"] = "3",
        });
        using var rejections = new CounterProbe("bms.realtime.rate_limited");
        using var forced = new CounterProbe("bms.realtime.forced_disconnects", ("reason", "abuse"));
        await using var client = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token = await host.TokenAsync("cashier") });
        Assert.True(client.IsConnected, $"connect failed: {client.ConnectError}");

        // Back-to-back acked pings: the first five fit the bucket, then each is refused. The client stops after the
        // third refusal (the configured limit), so no packet of its own races the server's DISCONNECT.
        var refusals = 0;
        for (var i = 0; i < 50 && refusals < 3; i++)
        {
            var ack = await client.EmitWithAckAsync("ping");
            if (!ack.GetProperty("ok").GetBoolean())
            {
                Assert.Equal("rate_limited", ack.GetProperty("error").GetString());
                refusals++;
            }
        }

        var error = await client.WaitForEventAsync("error", e => e.GetProperty("code").GetString() == "rate_limited");
        var reason = await client.Disconnected.WaitAsync(BmsServerHost.Timeout);

        Assert.Equal(3, refusals);
        Assert.Equal("events", error.GetProperty("kind").GetString());
        Assert.Equal("io server disconnect", reason);
        Assert.True(rejections.Total >= 3, $"rate limit rejections counted: {rejections.Total}");
        Assert.Equal(1, forced.Total);
    }

    [Fact]
    public async Task AnOversizedEventIsRefusedWithRateLimited()
    {
        await using var host = await BmsServerHost.StartAsync(new Dictionary<string, string> { ["Bms:Realtime:MaxEventPayloadBytes"] = "1024" });
        await using var client = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token = await host.TokenAsync("cashier") });

        var small = await client.EmitWithAckAsync("room:join", "product:1");
        var big = await client.EmitWithAckAsync("room:join", new string('x', 5000));
        var error = await client.WaitForEventAsync("error");

        Assert.True(small.GetProperty("ok").GetBoolean());
        Assert.Equal("rate_limited", big.GetProperty("error").GetString());
        Assert.Equal("payload", error.GetProperty("kind").GetString());
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task NewConnectionsPerUserAreLimited()
    {
        await using var host = await BmsServerHost.StartAsync(new Dictionary<string, string> { ["Bms:Realtime:ConnectionsPerUserPerMinute"] = "3" });
        var token = await host.TokenAsync("manager");
        var clients = new List<SocketIoTestClient>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                clients.Add(await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token }));
            }

            Assert.All(clients.Take(3), c => Assert.True(c.IsConnected));
            Assert.Equal("rate_limited", clients[3].ConnectError!.Value.GetProperty("message").GetString());
            Assert.Equal("rate_limited", clients[3].ConnectError!.Value.GetProperty("data").GetProperty("code").GetString());

            await using var other = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token = await host.TokenAsync("cashier") });
            Assert.True(other.IsConnected);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task EventsOutsideTheAuthorizationTableAreRefusedWithAnErrorAckAndCounted()
    {
        await using var host = await BmsServerHost.StartAsync();
        using var refused = new CounterProbe("bms.realtime.events.refused");
        await using var cashier = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token = await host.TokenAsync("cashier") });
        await using var cashierPos = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/pos", new { token = await host.TokenAsync("cashier") });
        await using var admin = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/admin", new { token = await host.TokenAsync("admin") });

        var notification = await cashier.EmitWithAckAsync("notification:send", new { title = "x", message = "y" });
        var unknown = await cashier.EmitWithAckAsync("drop:tables", 1);
        var syncOnMain = await cashier.EmitWithAckAsync("sync:status", new { pendingTransactions = 0 });
        var syncOnPos = await cashierPos.EmitWithAckAsync("sync:status", new { terminalId = "POS-001", pendingTransactions = 0 });
        var adminSend = await admin.EmitWithAckAsync("notification:send", new { title = "Hello", message = "From the socket", severity = "info" });

        Assert.Equal("forbidden", notification.GetProperty("error").GetString());
        Assert.Equal("forbidden", unknown.GetProperty("error").GetString());
        Assert.Equal("forbidden", syncOnMain.GetProperty("error").GetString());
        Assert.True(syncOnPos.GetProperty("ok").GetBoolean());
        Assert.True(adminSend.GetProperty("ok").GetBoolean());
        Assert.Equal(3, refused.Total);
    }

    /// <summary>Sums one counter of meter <c>Bms.Server</c> while alive.</summary>
    private sealed class CounterProbe : IDisposable
    {
        private readonly MeterListener listener = new();
        private long total;

        public CounterProbe(string instrument, (string Key, string Value)? tag = null)
        {
            listener.InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Name == "Bms.Server" && i.Name == instrument)
                {
                    l.EnableMeasurementEvents(i);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var t in tags)
                {
                    if (tag is { } wanted && t.Key == wanted.Key && !Equals(t.Value, wanted.Value))
                    {
                        return;
                    }
                }

                Interlocked.Add(ref total, value);
            });
            listener.Start();
        }

        public long Total => Interlocked.Read(ref total);

        public void Dispose() => listener.Dispose();
    }
}
