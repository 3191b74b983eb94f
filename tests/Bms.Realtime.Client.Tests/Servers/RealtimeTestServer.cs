using System.Text.Json;
using Bms.Realtime.Server.Engine;
using Bms.Realtime.Server.Namespaces;

namespace Bms.Realtime.Client.Tests.Servers;

/// <summary>
/// Our <c>Bms.Realtime.Server</c> on real Kestrel (127.0.0.1, port 0 then the same port on restart), serving the same
/// event contract as interop/node-server.mjs on <c>/</c>, <c>/main</c>, <c>/pos</c>, <c>/admin</c> and <c>/secure</c>.
/// </summary>
public sealed class RealtimeTestServer : ITestServer
{
    private readonly RealtimeTestHost _host;

    private RealtimeTestServer(RealtimeTestHost host)
    {
        _host = host;
    }

    public Uri Url => _host.Url;

    public bool CanFreeze => false;

    public static async Task<RealtimeTestServer> StartAsync(TestServerOptions? options = null)
    {
        options ??= new TestServerOptions();
        var host = await RealtimeTestHost.StartAsync(new RealtimeTestHostOptions
        {
            Configure = o =>
            {
                o.PingInterval = options.PingInterval ?? o.PingInterval;
                o.PingTimeout = options.PingTimeout ?? o.PingTimeout;
                o.ConnectionStateRecovery.Enabled = true;
                if (options.RefuseHandshake)
                {
                    o.AllowRequest = _ => ValueTask.FromResult(false);
                }
            },
            Setup = Setup,
        }).WaitAsync(Waits.Step);
        return new RealtimeTestServer(host);
    }

    /// <summary>Starts the server again on the same port.</summary>
    public Task StartAsync() => _host.RestartAsync();

    public Task StopAsync() => _host.StopAsync();

    public Task FreezeAsync() => throw new NotSupportedException("An in-process server cannot be frozen.");

    public Task ThawAsync() => Task.CompletedTask;

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private static void Setup(RealtimeServer io)
    {
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
    }

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
