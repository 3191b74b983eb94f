using Bms.Realtime.Server.Namespaces;

namespace Bms.Realtime.Server.Tests.Interop;

/// <summary>
/// Our server on real Kestrel at 127.0.0.1, serving what <c>interop/client-scenario.mjs</c> expects (the contract in
/// <c>interop/README.md</c>, the same as <c>interop/node-server.mjs</c>): the conformance-host events, the echo-host
/// events, <c>server-ack-request</c>, <c>disconnect-me</c>, <c>no-ack</c>, namespace <c>/reject</c>, and
/// connection-state recovery on.
/// </summary>
internal static class InteropServerHost
{
    /// <summary>The contract as host options: recovery on, any origin, the handlers below.</summary>
    public static RealtimeTestHostOptions Options { get; } = new()
    {
        Configure = o =>
        {
            o.ConnectionStateRecovery.Enabled = true;
            o.Cors.AllowedOrigins.Add("*");
        },
        Setup = io =>
        {
            foreach (var name in new[] { "/", "/custom" })
            {
                Configure(io.Of(name));
            }

            io.Of("/reject").Use((_, _) => throw new ConnectionRejectedException("not allowed", new { code = 42 }));
        },
    };

    /// <summary>
    /// Starts the host on a free port (<see cref="RealtimeTestHost.RestartAsync"/> keeps it);
    /// <paramref name="directWebSocket"/> false sends WebSocket-only clients through the HTTP path.
    /// </summary>
    public static Task<RealtimeTestHost> StartAsync(bool directWebSocket = true) =>
        RealtimeTestHost.StartAsync(directWebSocket
            ? Options
            : Options with
            {
                Configure = o =>
                {
                    Options.Configure!(o);
                    o.DirectWebSocket = false;
                },
            });

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
