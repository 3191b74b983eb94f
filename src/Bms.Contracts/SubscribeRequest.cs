using System.Text.Json.Nodes;

namespace Bms.Contracts;

/// <summary>
/// The argument of <c>subscribe</c>: <c>{event, filter}</c>. The socket then receives <paramref name="Event"/> only when
/// <paramref name="Filter"/> matches its data; several subscriptions for one event are or-ed, and events without a
/// subscription are delivered as before. A filter only narrows what the socket's rooms deliver and lives as long as
/// the socket.
/// </summary>
/// <param name="Event">The event name, one of <see cref="RealtimeEventNames"/>, e.g. <c>inventory:updated</c>.</param>
/// <param name="Filter">Over the event's data: field → value (equality), field → <c>{eq|in|lt|lte|gt|gte: …}</c>, several keys and-ed, or <c>{"and": [ … ]}</c>; e.g. <c>{"storeId": 1, "newQuantity": {"lte": 5}}</c>.</param>
public sealed record SubscribeRequest(string Event, JsonObject Filter);
