using System.Net;
using System.Text.Json;
using Bms.Server.Tests.Infrastructure;

namespace Bms.Server.Tests;

public sealed class OfficialClientInteropTests
{
    [Fact]
    public async Task TheOfficialSocketIoClientSignsInJoinsTheStoreRoomAndReceivesASale()
    {
        await using var host = await BmsServerHost.StartAsync();
        var cashier = await host.TokenAsync("cashier");
        var script = Path.Combine(AppContext.BaseDirectory, "Interop", "official-client.mjs");
        await using var node = await NodePeer.StartAsync(script, [TestEnvironment.InteropDirectory, host.BaseAddress.ToString().TrimEnd('/'), cashier]);
        {
            var lines = new List<JsonElement>();
            async Task<JsonElement> NextAsync(string step)
            {
                while (await node.ReadLineAsync(BmsServerHost.Timeout) is { } line)
                {
                    var json = JsonDocument.Parse(line).RootElement.Clone();
                    lines.Add(json);
                    if (json.GetProperty("step").GetString() == step)
                    {
                        return json;
                    }
                }

                throw new InvalidOperationException($"node ended before '{step}': {string.Join("; ", lines)} {node.Errors}");
            }

            var joined = await NextAsync("joined");
            Assert.True(joined.GetProperty("ack").GetProperty("ok").GetBoolean());

            var (status, _, _) = await host.SendAsync(HttpMethod.Post, "/api/transactions", cashier,
                new { storeId = 1, lines = new[] { new { productId = 6, quantity = 3 } } });
            Assert.Equal(HttpStatusCode.Created, status);
            await NextAsync("done");

            var refused = lines.Single(l => l.GetProperty("step").GetString() == "admin-connect-error");
            Assert.Equal("forbidden", refused.GetProperty("message").GetString());
            Assert.Equal("forbidden", refused.GetProperty("data").GetProperty("code").GetString());
            var inventory = lines.Single(l => l.GetProperty("step").GetString() == "event"
                && l.GetProperty("name").GetString() == "inventory:updated").GetProperty("envelope");
            Assert.Equal(27, inventory.GetProperty("data").GetProperty("newQuantity").GetInt32());
        }
    }
}
