using System.Net;
using Bms.Realtime.Server.Namespaces;
using Bms.Realtime.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bms.Testing;

/// <summary>
/// Our real-time server (<c>AddBmsRealtime</c> + <c>MapBmsRealtime("/socket.io")</c>) on real Kestrel at
/// 127.0.0.1, port 0 on the first start and the same port after <see cref="RestartAsync"/>. Every test that needs the
/// server in-process starts it here; what differs per test goes in <see cref="RealtimeTestHostOptions"/>.
/// <c>BMS_TEST_LOG=1</c> shows the server's Debug log on the console.
/// </summary>
public sealed class RealtimeTestHost : IAsyncDisposable
{
    private readonly RealtimeTestHostOptions _options;
    private WebApplication? _app;

    private RealtimeTestHost(RealtimeTestHostOptions options)
    {
        _options = options;
    }

    /// <summary>The bound port (kept across restarts).</summary>
    public int Port { get; private set; }

    /// <summary><c>http://127.0.0.1:port</c>.</summary>
    public Uri Url => new($"http://127.0.0.1:{Port}");

    /// <summary>True between a start and a stop.</summary>
    public bool IsRunning => _app is not null;

    /// <summary>The running application's services.</summary>
    public IServiceProvider Services => (_app ?? throw new InvalidOperationException("The host is not running.")).Services;

    /// <summary>The running server.</summary>
    public RealtimeServer Io => Services.GetRequiredService<RealtimeServer>();

    /// <summary>An Engine.IO HTTP URL with <paramref name="query"/> appended (<c>transport=polling&amp;sid=…</c>).</summary>
    public string HttpUrl(string query) => $"http://127.0.0.1:{Port}/socket.io/?EIO=4&{query}";

    /// <summary>An Engine.IO WebSocket URL with <paramref name="query"/> appended (<c>&amp;sid=…</c>).</summary>
    public Uri WsUrl(string query = "") => new($"ws://127.0.0.1:{Port}/socket.io/?EIO=4&transport=websocket{query}");

    /// <summary>Starts a host with <paramref name="options"/>.</summary>
    public static async Task<RealtimeTestHost> StartAsync(RealtimeTestHostOptions options)
    {
        var host = new RealtimeTestHost(options);
        await host.StartCoreAsync().WaitAsync(Waits.Step);
        return host;
    }

    /// <summary>Starts a host with <paramref name="configure"/> applied to the server options and <paramref name="setup"/> run on the server.</summary>
    public static Task<RealtimeTestHost> StartAsync(Action<RealtimeServerOptions>? configure = null, Action<RealtimeServer>? setup = null) =>
        StartAsync(new RealtimeTestHostOptions { Configure = configure, Setup = setup });

    /// <summary>Stops the server: connections drop without Socket.IO DISCONNECT packets. The port stays reserved for <see cref="RestartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_app is not { } app)
        {
            return;
        }

        _app = null;
        try
        {
            // Open WebSocket sessions would otherwise hold Kestrel's graceful stop for its whole timeout.
            using var cap = new CancellationTokenSource(_options.StopTimeout);
            await app.StopAsync(cap.Token).WaitAsync(Waits.Step);
        }
        finally
        {
            await app.DisposeAsync().AsTask().WaitAsync(Waits.Step);
        }
    }

    /// <summary>Starts the server again on the same port with the same options (handlers are set up afresh).</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartCoreAsync().WaitAsync(Waits.Step);
    }

    public async ValueTask DisposeAsync() => await StopAsync().WaitAsync(Waits.Step);

    private async Task StartCoreAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("BMS_TEST_LOG") == "1")
        {
            builder.Logging.AddSimpleConsole(o => o.TimestampFormat = "HH:mm:ss.fff ").SetMinimumLevel(LogLevel.Debug);
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = _options.StopTimeout);
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, Port);
            _options.Kestrel?.Invoke(k);
        });
        var realtime = builder.Services.AddBmsRealtime(o => _options.Configure?.Invoke(o));
        _options.Realtime?.Invoke(realtime);
        _options.Builder?.Invoke(builder);

        var app = builder.Build();
        _options.Middleware?.Invoke(app);
        var endpoint = app.MapBmsRealtime("/socket.io");
        _options.Endpoint?.Invoke(endpoint);
        _options.Endpoints?.Invoke(app);
        _options.Setup?.Invoke(app.Services.GetRequiredService<RealtimeServer>());
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Port = new Uri(address).Port;
        _app = app;
    }
}
