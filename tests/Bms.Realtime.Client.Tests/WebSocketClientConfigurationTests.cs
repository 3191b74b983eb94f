using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bms.Realtime.Client.Tests;

public sealed class WebSocketClientConfigurationTests
{
    [Fact]
    public async Task AddWebSocketClientBindsTheUrlFromBmsWsUrlAndOtherOptionsFromBmsRealtime()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bms:ApiUrl"] = "http://api.example:3001",
            ["Bms:WsUrl"] = "ws://ws.example:3002",
            ["Bms:Realtime:SendBufferCapacity"] = "42",
            ["Bms:Realtime:ReconnectionDelay"] = "00:00:02",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddWebSocketClient(o => o.Debug = true);
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<WebSocketClientOptions>>().Value;
        Assert.Equal(new Uri("ws://ws.example:3002"), options.Url);
        Assert.Equal(42, options.SendBufferCapacity);
        Assert.Equal(TimeSpan.FromSeconds(2), options.ReconnectionDelay);
        Assert.True(options.Debug);
        var client = provider.GetRequiredService<WebSocketClient>();
        Assert.Same(client, provider.GetRequiredService<WebSocketClient>());
        Assert.Equal(ConnectionState.Disconnected, client.State);
    }

    [Fact]
    public async Task AddWebSocketClientFallsBackToBmsApiUrl()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bms:ApiUrl"] = "http://api.example:3001",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddWebSocketClient();
        await using var provider = services.BuildServiceProvider();
        Assert.Equal(new Uri("http://api.example:3001"), provider.GetRequiredService<IOptions<WebSocketClientOptions>>().Value.Url);
    }

    [Fact]
    public void InvalidOptionsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => new WebSocketClient(new WebSocketClientOptions()));
        Assert.Throws<ArgumentException>(() => new WebSocketClient(new WebSocketClientOptions { Url = new Uri("ftp://x") }));
        Assert.Throws<ArgumentException>(() => new WebSocketClient(new WebSocketClientOptions { Url = new Uri("http://x"), Transports = [] }));
    }

    [Fact]
    public async Task OfReturnsOneSocketPerNamespace()
    {
        await using var client = WebSocketClientFactory.Create(new Uri("http://127.0.0.1:9"));
        Assert.Same(client.Of("/main"), client.Of("main"));
        Assert.Same(client.Of("/main"), client.Socket("/main"));
        Assert.NotSame(client.Of("/main"), client.Of("/pos"));
        Assert.Equal(2, client.Sockets.Count);
    }
}
