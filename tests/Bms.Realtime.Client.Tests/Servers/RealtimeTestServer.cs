using System.Text.Json;
using Bms.Realtime.Server.Engine;
using Bms.Realtime.Server.Namespaces;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bms.Realtime.Client.Tests.Servers;

/// <summary>
/// Our <c>Bms.Realtime.Server</c> on real Kestrel (127.0.0.1, port 0 then the same port on restart), serving the same
/// event contract as interop/node-server.mjs on <c>/</c>, <c>/main</c>, <c>/pos</c>, <c>/admin</c> and <c>/secure</c>.
/// </summary>
public sealed class RealtimeTestServer : ITestServer
{
    private readonly TestServerOptions _options;
    private WebApplication? _app;
    private int _port;

    private RealtimeTestServer(TestServerOptions options)
    {
        _options = options;
    }

    public Uri Url => new($"http://127.0.0.1:{_port}");

    public bool CanFreeze => false;

    public static async Task<RealtimeTestServer> StartAsync(TestServerOptions? options = null)
    {
        var server = new RealtimeTestServer(options ?? new TestServerOptions());
        await server.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return server;
    }

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls($"http://127.0.0.1:{_port}");
        builder.Services.AddBmsRealtime(o =>
        {
            o.PingInterval = _options.PingInterval ?? o.PingInterval;
            o.PingTimeout = _options.PingTimeout ?? o.PingTimeout;
            o.ConnectionStateRecovery.Enabled = true;
            if (_options.RefuseHandshake)
            {
                o.AllowRequest = _ => ValueTask.FromResult(false);
            }
        });
        var app = builder.Build();
        app.MapBmsRealtime("/socket.io");
        var io = app.Services.GetRequiredService<RealtimeServer>();
        foreach (var name in new[] { "/", "/main", "/pos", "/admin" })
        {
            Attach(io.Of(name));
        }

        var secure = io.Of("/secure");
        secure.Use((socket, _) =>
        {
            var token = socket.Handshake.GetAuthString("token");
            if (token is not null && token.StartsWith("valid", StringComparison.Ordinal))
            {
                return ValueTask.CompletedTask;
            }

            throw new ConnectionRejectedException(token is not null && token.StartsWith("expired", StringComparison.Ordinal) ? "token_expired" : "unauthorized", new { code = 401 });
        });
        Attach(secure);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _port = new Uri(address).Port;
        _app = app;
    }

    public async Task StopAsync()
    {
        if (_app is not { } app)
        {
            return;
        }

        _app = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(timeout.Token);
        await app.DisposeAsync();
    }

    public Task FreezeAsync() => throw new NotSupportedException("An in-process server cannot be frozen.");

    public Task ThawAsync() => Task.CompletedTask;

    public async ValueTask DisposeAsync() => await StopAsync().WaitAsync(TimeSpan.FromSeconds(15));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> DroppedJoins = new(StringComparer.Ordinal);

    private static void Attach(RealtimeNamespace nsp)
    {
        nsp.OnConnection(async socket =>
        {
            socket.On("echo", e => e.HasAck ? e.AckAsync(e.Args.ToArray()) : socket.EmitAsync("echo", e.Args.ToArray()));
            socket.On("echo-binary", e => e.AckAsync(e.Args.ToArray()));
            socket.On("message", e => socket.EmitAsync("message-back", e.Args.ToArray()));
            socket.On("room:join", e =>
            {
                var room = e.Args.Get<string>(0)!;
                socket.Join(room);

                // "drop-ack:*" rooms, the first time: joined, but the connection drops before the answer goes out.
                if (room.StartsWith("drop-ack:", StringComparison.Ordinal) && DroppedJoins.TryAdd(room, 0)
                    && nsp.Server.Engine.TryGetSession(socket.EngineId, out var session) && session is not null)
                {
                    session.Close(EngineCloseReason.TransportClose, "dropped before the join's answer", sendClosePacket: false);
                    return ValueTask.CompletedTask;
                }

                return e.AckAsync(new { ok = true });
            });
            socket.On("room:leave", e =>
            {
                socket.Leave(e.Args.Get<string>(0)!);
                return e.AckAsync(new { ok = true });
            });
            socket.On("bcast", e => nsp.To(e.Args.Get<string>(0)!).EmitAsync("bcast", e.Args.GetRaw(1)));
            socket.On("server-ack-request", async e =>
            {
                var value = e.Args.GetRaw(0).Clone();
                try
                {
                    var reply = await socket.EmitWithAckAsync("ask", TimeSpan.FromSeconds(5), [value]);
                    await socket.EmitAsync("ask-result", reply.GetRaw(0));
                }
                catch (TimeoutException ex)
                {
                    await socket.EmitAsync("ask-result", new { error = ex.Message });
                }
            });
            socket.On("disconnect-me", _ => socket.DisconnectAsync());
            socket.On("expire-me", async _ =>
            {
                // What the BMS backend does when a connected socket's token expires.
                await socket.EmitAsync("error", new { code = "token_expired", message = "The access token has expired." });
                await socket.DisconnectAsync();
            });
            if (!socket.Recovered)
            {
                await socket.EmitAsync("auth", (object?)socket.Handshake.Auth ?? new { });
            }
        });
    }
}
