using Bms.Realtime.Protocol;
using Bms.Realtime.Server.Engine;
using Bms.Realtime.Server.Hosting;
using Bms.Realtime.Server.Namespaces;

// Serves exactly what the official Engine.IO v4 and Socket.IO v5 conformance suites expect (see README.md).
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);

// The suites' heartbeat; --PingIntervalMs/--PingTimeoutMs override it for clients that are not the suites.
var pingInterval = TimeSpan.FromMilliseconds(builder.Configuration.GetValue("PingIntervalMs", 300));
var pingTimeout = TimeSpan.FromMilliseconds(builder.Configuration.GetValue("PingTimeoutMs", 200));
builder.Services.AddBmsRealtime(ConfigureForSuite);

var app = builder.Build();

var engineOptions = new RealtimeServerOptions();
ConfigureForSuite(engineOptions);
var engine = new EngineServer(engineOptions, _ => new EchoHandler(), app.Services.GetRequiredService<ILoggerFactory>());
app.MapEngineIo("/engine.io", engine);
app.MapBmsRealtime("/socket.io");

var io = app.Services.GetRequiredService<RealtimeServer>();
io.Of("/").OnConnection(async socket =>
{
    await socket.EmitAsync("auth", socket.Handshake.Auth);
    socket.On("message", e => socket.EmitAsync("message-back", e.Args.ToArray()));
    socket.On("message-with-ack", e => e.AckAsync(e.Args.ToArray()));
});
io.Of("/custom").OnConnection(socket => socket.EmitAsync("auth", socket.Handshake.Auth));

app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine("Listening on " + string.Join(", ", app.Urls)));
app.Run();

void ConfigureForSuite(RealtimeServerOptions o)
{
    o.PingInterval = pingInterval;
    o.PingTimeout = pingTimeout;
    o.MaxPayload = 1_000_000;
    o.ConnectTimeout = TimeSpan.FromSeconds(1);
    o.Cors.AllowedOrigins.Add("*");

    // DIRECT_WEBSOCKET=0 keeps WebSocket handshakes on the HTTP pipeline, to run the suites against both paths.
    o.DirectWebSocket = Environment.GetEnvironmentVariable("DIRECT_WEBSOCKET") != "0";
}

/// <summary>Raw Engine.IO echo: every message is sent back as it came (text or binary).</summary>
internal sealed class EchoHandler : IEngineSessionHandler
{
    public void OnMessage(EngineSession session, in EnginePacket packet) =>
        session.Send(packet.IsBinary
            ? new OutgoingFrame(packet.Data, isBinary: true)
            : new OutgoingFrame(EnginePacketParser.ToTextFrame(EnginePacketType.Message, packet.Data.Span), isBinary: false));

    public void OnClose(EngineSession session, EngineCloseReason reason, string? description)
    {
    }

    public void OnTick(EngineSession session, long timestamp)
    {
    }
}
