using System.Net;
using Bms.Realtime.Server.Hosting;
using Bms.Realtime.Server.Namespaces;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bms.Realtime.Server.Tests.Integration;

/// <summary>Our server on real Kestrel at 127.0.0.1:0, configured per test.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public RealtimeServer Io => _app.Services.GetRequiredService<RealtimeServer>();

    public IServiceProvider Services => _app.Services;

    public string HttpUrl(string query) => $"http://127.0.0.1:{Port}/socket.io/?EIO=4&{query}";

    public Uri WsUrl(string query = "") => new($"ws://127.0.0.1:{Port}/socket.io/?EIO=4&transport=websocket{query}");

    public static async Task<TestServer> StartAsync(Action<RealtimeServerOptions>? configure = null, Action<RealtimeServer>? setup = null, Action<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>? kestrel = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("BMS_TEST_LOG") == "1") { builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Debug); }
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            kestrel?.Invoke(k);
        });
        builder.Services.AddBmsRealtime(o => configure?.Invoke(o));
        var app = builder.Build();
        app.MapBmsRealtime("/socket.io");
        setup?.Invoke(app.Services.GetRequiredService<RealtimeServer>());
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestServer(app, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(15));
        await _app.DisposeAsync();
    }
}
