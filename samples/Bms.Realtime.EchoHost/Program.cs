using Bms.Realtime.Server.Namespaces;

// The echo/broadcast host used by interop tests and benchmarks. Listens on HOST:PORT (default 127.0.0.1:3000).
// RECOVERY=1 enables connection-state recovery; DIRECT_WEBSOCKET=0 turns the direct WebSocket path off.
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
});

var app = builder.Build();
app.MapBmsRealtime("/socket.io");

var io = app.Services.GetRequiredService<RealtimeServer>();
io.Of("/").OnConnection(socket =>
{
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
