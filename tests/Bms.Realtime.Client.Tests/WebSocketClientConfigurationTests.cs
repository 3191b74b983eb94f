using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bms.Realtime.Client.Tests;

public sealed class WebSocketClientConfigurationTests
{
    [Fact]
    public async Task AddWebSocketClientBindsTheGivenSectionAndRunsConfigureLast()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Realtime:Url"] = "ws://ws.example:3002",
            ["Realtime:SendBufferCapacity"] = "42",
            ["Realtime:ReconnectionDelay"] = "00:00:02",
        }).Build();
        var services = new ServiceCollection();
        services.AddWebSocketClient(configuration.GetSection("Realtime"), o => o.Debug = true);
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

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
    public async Task AddWebSocketClientHasNoDefaultServerAddress()
    {
        var services = new ServiceCollection();
        services.AddWebSocketClient();
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("WebSocketClientOptions.Url is required", error.Message);
    }

    [Fact]
    public async Task AddWebSocketClientFailsAtStartWithTheReasonOfABadOption()
    {
        var services = new ServiceCollection();
        services.AddWebSocketClient(o =>
        {
            o.Url = new Uri("http://127.0.0.1:9");
            o.ReconnectionDelay = TimeSpan.FromSeconds(10);
            o.ReconnectionDelayMax = TimeSpan.FromSeconds(1);
        });
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Equal(typeof(WebSocketClientOptions), error.OptionsType);
        Assert.Contains("ReconnectionDelay <= ReconnectionDelayMax", error.Message);
    }

    [Fact]
    public void ValidatorReportsTheUnsupportedScheme()
    {
        var result = new WebSocketClientOptionsValidator().Validate(null, new WebSocketClientOptions { Url = new Uri("ftp://x") });
        Assert.True(result.Failed);
        Assert.Contains("Unsupported URL scheme 'ftp'", result.FailureMessage);
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
