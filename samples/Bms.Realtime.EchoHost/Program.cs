using Bms.Realtime.Server.Namespaces;

// The echo/broadcast host used by interop tests and benchmarks. Listens on HOST:PORT (default 127.0.0.1:3000).
// RECOVERY=1 enables connection-state recovery; DIRECT_WEBSOCKET=0 turns the direct WebSocket path off;
// DIRECT_WEBSOCKET_FRAMING=0 keeps it on System.Net.WebSockets; INLINE_SCHEDULING=1 sets InlineTransportScheduling.
// FILTER_HALF=1 gives every second socket a delivery filter (a numeric test on the payload that always passes), to
// measure the cost of per-recipient filters against the unfiltered broadcast. PING_INTERVAL_MS sets the heartbeat's
// ping interval (default 25,000 ms), to measure what the heartbeat adds to latency and CPU.
var host = Environment.GetEnvironmentVariable("HOST") is { Length: > 0 } h ? h : "127.0.0.1";
var port = Environment.GetEnvironmentVariable("PORT") is { Length: > 0 } p ? p : "3000";
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.UseUrls($"http://{host}:{port}");
builder.Services.AddBmsRealtime(o =>
{
    o.Cors.AllowedOrigins.Add("*");
    o.ConnectionStateRecovery.Enabled = Environment.GetEnvironmentVariable("RECOVERY") == "1";
    // DIRECT_WEBSOCKET=0 keeps WebSocket handshakes on the HTTP pipeline (for before/after comparisons).
    o.DirectWebSocket = Environment.GetEnvironmentVariable("DIRECT_WEBSOCKET") != "0";

    // DIRECT_WEBSOCKET_FRAMING=0 uses System.Net.WebSockets on the direct path; INLINE_SCHEDULING=1 turns on Kestrel's
    // inline scheduling (both for before/after comparisons).
    o.DirectWebSocketFraming = Environment.GetEnvironmentVariable("DIRECT_WEBSOCKET_FRAMING") != "0";
    o.InlineTransportScheduling = Environment.GetEnvironmentVariable("INLINE_SCHEDULING") == "1";
    if (int.TryParse(Environment.GetEnvironmentVariable("PING_INTERVAL_MS"), out var pingMs) && pingMs > 0)
    {
        o.PingInterval = TimeSpan.FromMilliseconds(pingMs);
    }
});

var app = builder.Build();
app.MapBmsRealtime("/socket.io");

var io = app.Services.GetRequiredService<RealtimeServer>();
var filterHalf = Environment.GetEnvironmentVariable("FILTER_HALF") == "1";
var connections = 0L;
io.Of("/").OnConnection(socket =>
{
    if (filterHalf && Interlocked.Increment(ref connections) % 2 == 0)
    {
        socket.DeliveryFilter = packet => packet.EventName != "bcast"
            || (packet.FirstArgument.ValueKind == System.Text.Json.JsonValueKind.Object
                && packet.FirstArgument.TryGetProperty("t", out var t) && t.TryGetDouble(out var sent) && sent >= 0);
    }

    socket.On("join", e =>
    {
        if (e.Args.TryGet<string>(0, out var room) && room is not null)
        {
            socket.Join(room);
        }

        return e.AckAsync(true);
    });
    socket.On("echo", e => e.HasAck ? e.AckAsync(e.Args.ToArray()) : socket.EmitAsync("echo", e.Args.ToArray()));
    socket.On("bcast", e =>
    {
        var room = e.Args.Get<string>(0);
        var payload = e.Args.Count > 1 ? e.Args.ToArray()[1] : null;
        return room is null ? ValueTask.CompletedTask : io.Of("/").To(room).EmitAsync("bcast", payload);
    });
});

app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine("Listening on " + string.Join(", ", app.Urls)));
app.Run();
