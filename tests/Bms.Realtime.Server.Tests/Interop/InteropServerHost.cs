using System.Net;
using Bms.Realtime.Server.Namespaces;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bms.Realtime.Server.Tests.Interop;

/// <summary>
/// Our server on real Kestrel at 127.0.0.1, serving what <c>interop/client-scenario.mjs</c> expects (the contract in
/// <c>interop/README.md</c>, the same as <c>interop/node-server.mjs</c>): the conformance-host events, the echo-host
/// events, <c>server-ack-request</c>, <c>disconnect-me</c>, <c>no-ack</c>, namespace <c>/reject</c>, and
/// connection-state recovery on.
/// </summary>
internal sealed class InteropServerHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private InteropServerHost(WebApplication app, int port)
    {
        this.app = app;
        Port = port;
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}");

    public RealtimeServer Server => app.Services.GetRequiredService<RealtimeServer>();

    public Hosting.RealtimeMetrics Metrics => app.Services.GetRequiredService<Hosting.RealtimeMetrics>();

    /// <summary>
    /// Starts the host; <paramref name="port"/> 0 binds a free port, an earlier <see cref="Port"/> restarts on it.
    /// <paramref name="directWebSocket"/> false sends WebSocket-only clients through the HTTP path.
    /// </summary>
    public static async Task<InteropServerHost> StartAsync(int port = 0, bool directWebSocket = true)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Services.AddBmsRealtime(o =>
        {
            o.ConnectionStateRecovery.Enabled = true;
            o.Cors.AllowedOrigins.Add("*");
            o.DirectWebSocket = directWebSocket;
        });

        var app = builder.Build();
        app.MapBmsRealtime("/socket.io");
        var io = app.Services.GetRequiredService<RealtimeServer>();
        foreach (var name in new[] { "/", "/custom" })
        {
            Configure(io.Of(name));
        }

        io.Of("/reject").Use((_, _) => throw new ConnectionRejectedException("not allowed", new { code = 42 }));

        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new InteropServerHost(app, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await app.StopAsync().WaitAsync(TimeSpan.FromSeconds(15));
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    private static void Configure(RealtimeNamespace ns)
    {
        ns.OnConnection(async socket =>
        {
            socket.On("message", e => socket.EmitAsync("message-back", e.Args.ToArray()));
            socket.On("message-with-ack", e => e.AckAsync(e.Args.ToArray()));
            socket.On("join", e =>
            {
                socket.Join(e.Args.Get<string>(0) ?? string.Empty);
                return e.AckAsync();
            });
            socket.On("echo", e =>
            {
                var payload = e.Args.ToArray().FirstOrDefault();
                return e.HasAck ? e.AckAsync(payload) : socket.EmitAsync("echo", payload);
            });
            socket.On("bcast", e =>
            {
                var args = e.Args.ToArray();
                return ns.To(e.Args.Get<string>(0) ?? string.Empty).EmitAsync("bcast", args.Length > 1 ? args[1] : null);
            });
            socket.On("server-ack-request", e =>
            {
                var value = e.Args.ToArray().FirstOrDefault();

                // Not awaited inside the handler: the client's ACK must be able to arrive while we wait.
                _ = Task.Run(async () =>
                {
                    object? result;
                    try
                    {
                        var answer = await socket.EmitWithAckAsync("ask", TimeSpan.FromSeconds(5), value);
                        result = answer.Count > 0 ? answer.GetRaw(0) : null;
                    }
                    catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
                    {
                        result = new { error = ex.Message };
                    }

                    await socket.EmitAsync("ask-result", result);
                });
                return ValueTask.CompletedTask;
            });
            socket.On("disconnect-me", _ => socket.DisconnectAsync());
            socket.On("no-ack", _ => ValueTask.CompletedTask);

            if (!socket.Recovered)
            {
                await socket.EmitAsync("auth", socket.Handshake.Auth);
            }
        });
    }
}
