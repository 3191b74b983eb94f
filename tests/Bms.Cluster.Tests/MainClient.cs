using System.Text.Json;
using Bms.Realtime.Client;

namespace Bms.Cluster.Tests;

/// <summary>Our client on /main collecting business events.</summary>
internal sealed class MainClient : IAsyncDisposable
{
    private static readonly string[] Events = ["transaction:created", "inventory:updated", "system:notification", "low-stock:alert", "product:updated"];
    private readonly WebSocketClient _client;
    private readonly Dictionary<string, Collector<JsonElement>> _events = [];

    private MainClient(WebSocketClient client)
    {
        _client = client;
        Main = client.Of("/main");
        foreach (var name in Events)
        {
            var collector = new Collector<JsonElement>();
            _events[name] = collector;
            Main.On<JsonElement>(name, e => collector.Add(e.Clone()));
        }
    }

    public NamespaceSocket Main { get; }

    public string Id => Main.Id!;

    public bool IsConnected => Main.IsConnected;

    public static async Task<MainClient> ConnectAsync(ServerNode node, string token, string? room)
    {
        var client = new MainClient(node.NewClient(token));
        await client.Main.ConnectAsync().WaitAsync(Infrastructure.Wait);
        if (room is not null)
        {
            var result = await client.Main.JoinRoomAsync(room).WaitAsync(Infrastructure.Wait);
            Assert.True(result.Ok, result.Error);
        }

        return client;
    }

    public Task<JsonElement> Next(string eventName, TimeSpan? timeout = null) => _events[eventName].NextAsync(timeout ?? Infrastructure.Wait);

    /// <summary>Every <paramref name="eventName"/> received so far.</summary>
    public IReadOnlyList<JsonElement> All(string eventName) => _events[eventName].All;

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
