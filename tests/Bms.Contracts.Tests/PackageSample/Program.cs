using Bms.Contracts;
using Bms.Realtime.Client;
using Bms.Realtime.Server.Namespaces;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

// Server and client in one process, from the packages alone: join store:1, receive a typed inventory:updated.
var timeout = TimeSpan.FromSeconds(60);
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Services.AddBmsRealtime(o => o.JsonTypeInfoResolver = BmsContractsJsonContext.Default);
var app = builder.Build();
app.MapBmsRealtime("/socket.io");

var io = app.Services.GetRequiredService<RealtimeServer>();
io.Of(RealtimeNamespaceNames.Main).OnConnection(socket =>
{
    socket.On(ClientEvents.RoomJoin, e =>
    {
        socket.Join(e.Args.Get<string>(0)!);
        return e.AckAsync(new AckResponse(true));
    });
});
await app.StartAsync().WaitAsync(timeout);
var url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

await using var client = WebSocketClientFactory.Create(new WebSocketClientOptions { Url = url });
var main = client.Of(RealtimeNamespaceNames.Main);
var received = new TaskCompletionSource<EventEnvelope<InventoryUpdatedData>>(TaskCreationOptions.RunContinuationsAsynchronously);
using var subscription = main.On<EventEnvelope<InventoryUpdatedData>>(RealtimeEventNames.InventoryUpdated, e => received.TrySetResult(e!));
await main.ConnectAsync().WaitAsync(timeout);
var joined = await main.JoinRoomAsync(Rooms.Store(1)).WaitAsync(timeout);
if (!joined.Ok)
{
    throw new InvalidOperationException("join refused: " + joined.Error);
}

var data = new InventoryUpdatedData(1, 1, "SKU-1", "Widget", 10, 7, -3, "sale", 5, null);
await io.Of(RealtimeNamespaceNames.Main).To(Rooms.Store(1)).EmitAsync(RealtimeEventNames.InventoryUpdated,
    new EventEnvelope<InventoryUpdatedData>(Guid.NewGuid().ToString(), RealtimeEventNames.InventoryUpdated, DateTime.UtcNow, data));
var envelope = await received.Task.WaitAsync(timeout);
Console.WriteLine($"round-trip ok {envelope.Data.Sku} {envelope.Data.NewQuantity}");
await app.StopAsync().WaitAsync(timeout);
