using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Bms.Realtime.Client;
using Bms.Server.Tests.Infrastructure;

namespace Bms.Server.Tests;

/// <summary>Server-side subscription filters (<c>subscribe</c> / <c>unsubscribe</c>) on a real backend.</summary>
public sealed class SubscriptionFilterTests
{
    private static readonly TimeSpan Wait = BmsServerHost.Timeout;

    [Fact]
    public async Task AFilteredSocketReceivesOnlyMatchingEventsOfThatTypeAndEveryOtherTypeAsBefore()
    {
        await using var host = await BmsServerHost.StartAsync();
        var manager = await host.TokenAsync("manager");
        await using var plain = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token = manager });
        await using var filtered = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token = manager });
        await plain.EmitWithAckAsync("room:join", "store:1");
        await filtered.EmitWithAckAsync("room:join", "store:1");

        var ack = await filtered.EmitWithAckAsync("subscribe", new
        {
            @event = "inventory:updated",
            filter = new { productId = new { @in = new[] { 2, 3 } }, delta = new { gte = 5 } },
        });
        Assert.True(ack.GetProperty("ok").GetBoolean(), ack.GetRawText());
        Assert.False(string.IsNullOrEmpty(ack.GetProperty("id").GetString()));

        await AdjustAsync(host, manager, productId: 1, delta: 5);   // wrong product
        await AdjustAsync(host, manager, productId: 2, delta: 1);   // delta too small
        await AdjustAsync(host, manager, productId: 3, delta: 5);   // matches both clauses
        await plain.WaitForEventAsync("inventory:updated", e => ProductOf(e) == 3);
        await filtered.WaitForEventAsync("inventory:updated", e => ProductOf(e) == 3);
        Assert.Equal([1, 2, 3], plain.EventsNamed("inventory:updated").Select(ProductOf));
        Assert.Equal([3], filtered.EventsNamed("inventory:updated").Select(ProductOf));

        // A second subscription for the same event is or-ed with the first.
        var second = await filtered.EmitWithAckAsync("subscribe", new { @event = "inventory:updated", filter = new { sku = "COF-001" } });
        Assert.True(second.GetProperty("ok").GetBoolean(), second.GetRawText());
        Assert.NotEqual(ack.GetProperty("id").GetString(), second.GetProperty("id").GetString());
        await AdjustAsync(host, manager, productId: 1, delta: 1);
        await filtered.WaitForEventAsync("inventory:updated", e => ProductOf(e) == 1);

        // Event types without a subscription are delivered as before.
        var (status, _, _) = await host.SendAsync(HttpMethod.Post, "/api/notifications", await host.TokenAsync("admin"),
            new { title = "Heads up", message = "Stocktake", severity = "info" });
        Assert.Equal(HttpStatusCode.Accepted, status);
        await filtered.WaitForEventAsync("system:notification");
    }

    [Fact]
    public async Task UnsubscribeRestoresUnfilteredDeliveryAndAnUnknownIdIsNotFound()
    {
        await using var host = await BmsServerHost.StartAsync();
        var manager = await host.TokenAsync("manager");
        await using var client = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token = manager });
        await client.EmitWithAckAsync("room:join", "store:1");
        var ack = await client.EmitWithAckAsync("subscribe", new { @event = "inventory:updated", filter = new { newQuantity = new { lte = 5 } } });
        var id = ack.GetProperty("id").GetString();

        await AdjustAsync(host, manager, productId: 4, delta: 1);
        await AdjustAsync(host, manager, productId: 12, delta: -10);  // 15 -> 5: matches
        await client.WaitForEventAsync("inventory:updated", e => ProductOf(e) == 12);
        Assert.Equal([12], client.EventsNamed("inventory:updated").Select(ProductOf));

        var removed = await client.EmitWithAckAsync("unsubscribe", new { id });
        Assert.True(removed.GetProperty("ok").GetBoolean(), removed.GetRawText());
        var again = await client.EmitWithAckAsync("unsubscribe", new { id });
        Assert.False(again.GetProperty("ok").GetBoolean());
        Assert.Equal("not_found", again.GetProperty("error").GetString());

        await AdjustAsync(host, manager, productId: 4, delta: 1);
        await client.WaitForEventAsync("inventory:updated", e => ProductOf(e) == 4);
    }

    [Theory]
    [InlineData("""{"event":"inventory:updated","filter":{"colour":"red"}}""", "unknown field 'colour'")]
    [InlineData("""{"event":"inventory:updated","filter":{"productId":"2"}}""", "needs a number")]
    [InlineData("""{"event":"inventory:updated","filter":{"sku":2}}""", "needs a string")]
    [InlineData("""{"event":"inventory:updated","filter":{"sku":{"lt":"A"}}}""", "'lt' is not allowed on 'sku'")]
    [InlineData("""{"event":"inventory:updated","filter":{"delta":{"near":3}}}""", "unknown operator 'near'")]
    [InlineData("""{"event":"inventory:updated","filter":{"productId":{"in":[]}}}""", "'in' on 'productId'")]
    [InlineData("""{"event":"inventory:updated","filter":{}}""", "at least one")]
    [InlineData("""{"event":"inventory:updated","filter":{"and":[{"delta":1},{"delta":2},{"delta":3},{"delta":4},{"delta":5},{"delta":6},{"delta":7},{"delta":8},{"delta":9}]}}""", "too many clauses")]
    [InlineData("""{"event":"stock:teleported","filter":{"storeId":1}}""", "unknown event")]
    [InlineData("""{"event":"inventory:updated"}""", "no filter")]
    [InlineData("""{"event":"inventory:updated","filter":{"storeId":1},"extra":true}""", "unknown field 'extra'")]
    [InlineData("\"inventory:updated\"", "{event, filter}")]
    public async Task AnInvalidFilterIsRefusedWithInvalidFilterAndADetail(string request, string detail)
    {
        await using var host = await BmsServerHost.StartAsync();
        await using var client = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/pos", new { token = await host.TerminalTokenAsync() });

        var ack = await client.EmitWithAckAsync("subscribe", JsonDocument.Parse(request).RootElement);

        Assert.False(ack.GetProperty("ok").GetBoolean());
        Assert.Equal("invalid_filter", ack.GetProperty("error").GetString());
        Assert.Contains(detail, ack.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFilterNeverWidensWhatTheSocketsRoomsDeliver()
    {
        await using var host = await BmsServerHost.StartAsync();
        var manager = await host.TokenAsync("manager");
        await using var member = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token = manager });
        await using var outsider = await SocketIoTestClient.ConnectAsync(host.BaseAddress, "/main", new { token = manager });
        await member.EmitWithAckAsync("room:join", "store:1");
        var ack = await outsider.EmitWithAckAsync("subscribe", new { @event = "inventory:updated", filter = new { storeId = 1 } });
        Assert.True(ack.GetProperty("ok").GetBoolean());

        await AdjustAsync(host, manager, productId: 5, delta: 1);
        await member.WaitForEventAsync("inventory:updated");
        // Both sockets are served by the same broadcast: once the member has it, the outsider would have had it too.
        await Task.Delay(300).WaitAsync(Wait);
        Assert.Empty(outsider.EventsNamed("inventory:updated"));
    }

    [Fact]
    public async Task TheDotNetClientSubscribesAgainAfterAReconnectAndDisposingUnsubscribes()
    {
        await using var host = await BmsServerHost.StartAsync();
        var manager = await host.TokenAsync("manager");
        await using var client = WebSocketClientFactory.Create(new WebSocketClientOptions
        {
            Url = host.BaseAddress,
            AccessTokenProvider = _ => ValueTask.FromResult<string?>(manager),
            ReconnectionDelay = TimeSpan.FromMilliseconds(100),
        });
        var main = client.Of("/main");
        var received = Channel.CreateUnbounded<int>();
        var all = new List<int>();
        using var handler = main.On<JsonElement>("inventory:updated", e =>
        {
            lock (all)
            {
                all.Add(ProductOf(e));
            }

            received.Writer.TryWrite(ProductOf(e));
        });
        await main.ConnectAsync().WaitAsync(Wait);
        Assert.True((await main.JoinRoomAsync("store:1").WaitAsync(Wait)).Ok);

        var refused = await Assert.ThrowsAsync<SubscriptionRefusedException>(
            () => main.SubscribeAsync("inventory:updated", new { colour = "red" }).WaitAsync(Wait));
        Assert.Equal("invalid_filter", refused.Error);
        Assert.Contains("colour", refused.Detail, StringComparison.Ordinal);

        var subscription = await main.SubscribeAsync("inventory:updated", new { productId = 2 }).WaitAsync(Wait);
        Assert.Equal(1, main.FilterSubscriptionCount);

        var before = main.Id;
        await client.ReconnectAsync().WaitAsync(Wait);
        while (!main.IsConnected || main.Id == before)
        {
            await Task.Delay(50).WaitAsync(Wait);
        }

        // Handlers of one socket start in arrival order: once this ack is back, the re-sent subscription is in place.
        await main.EmitWithAckAsync("ping", Wait).WaitAsync(Wait);
        await AdjustAsync(host, manager, productId: 1, delta: 1);
        await AdjustAsync(host, manager, productId: 2, delta: 1);
        Assert.Equal(2, await received.Reader.ReadAsync().AsTask().WaitAsync(Wait));

        await subscription.DisposeAsync();
        Assert.Equal(0, main.FilterSubscriptionCount);
        await AdjustAsync(host, manager, productId: 1, delta: 1);
        Assert.Equal(1, await received.Reader.ReadAsync().AsTask().WaitAsync(Wait));
        lock (all)
        {
            Assert.Equal([2, 1], all);
        }
    }

    private static int ProductOf(JsonElement envelope) => envelope.GetProperty("data").GetProperty("productId").GetInt32();

    private static async Task AdjustAsync(BmsServerHost host, string token, int productId, int delta)
    {
        var (status, body, _) = await host.SendAsync(HttpMethod.Post, "/api/inventory/adjust", token, new { productId, delta, reason = "count" });
        Assert.True(status == HttpStatusCode.OK, body.ToString());
    }
}
