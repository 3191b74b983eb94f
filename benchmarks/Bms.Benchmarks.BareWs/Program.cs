// The floor of the side-by-side benchmarks: Kestrel's WebSockets with no Socket.IO on top. It does
// the least a broadcast server can do — one send of the same pre-encoded frame per recipient — so
// the gap between it and a Socket.IO server is that server's own overhead.
//
//   PORT=5000 HOST=127.0.0.1 dotnet Bms.Benchmarks.BareWs.dll
//
// Endpoint /ws, text frames, first byte is the command (the load generator's "bare" client mode):
//   J<room>            join the room; answered with "J"
//   E<anything>        sent back unchanged
//   B<room>\n<frame>   <frame> is written unchanged to every socket in the room, sender included
using Bms.Benchmarks.BareWs;

var host = Environment.GetEnvironmentVariable("HOST") ?? "127.0.0.1";
var port = Environment.GetEnvironmentVariable("PORT") ?? "5000";

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.UseUrls($"http://{host}:{port}");

var app = builder.Build();
app.UseWebSockets();

var rooms = new RoomTable();
app.Map("/ws", async context =>
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return;
    }

    using var webSocket = await context.WebSockets.AcceptWebSocketAsync();
    var connection = new BareConnection(webSocket, rooms);
    await connection.RunAsync(context.RequestAborted);
});

app.Run();
