using System.Runtime.CompilerServices;
using System.Text.Json;
using Bms.Realtime.Server.Namespaces;

namespace Bms.Server.Routing;

/// <summary>
/// Server-side subscription filters on <c>/main</c>, <c>/pos</c> and <c>/admin</c>: handles the <c>subscribe</c>
/// <see cref="SubscribeRequest"/> and <c>unsubscribe</c> <see cref="UnsubscribeRequest"/> client events and installs each socket's
/// <see cref="SocketSubscriptions"/> as its delivery filter. A filter only narrows what the socket's rooms already
/// deliver (the predicate can skip a recipient, never add one), is evaluated on the node that holds the socket, and
/// lives as long as the socket (clients subscribe again after a reconnect). Singleton; thread-safe.
/// </summary>
internal sealed partial class EventSubscriptions(ILogger<EventSubscriptions> logger)
{
    private readonly ConditionalWeakTable<RealtimeSocket, SocketSubscriptions> _sockets = [];

    /// <summary>The subscriptions of a socket (empty when none).</summary>
    public IReadOnlyList<(string Id, string EventName, string Filter)> Of(RealtimeSocket socket) =>
        _sockets.TryGetValue(socket, out var subscriptions) ? subscriptions.List() : [];

    /// <summary><c>subscribe {event, filter}</c> → <see cref="SubscribeAck"/> <c>{ok:true, id}</c> or <c>{ok:false, error, detail}</c>.</summary>
    public ValueTask SubscribeAsync(SocketEvent e)
    {
        var request = e.Args.Count > 0 ? e.Args.GetRaw(0) : default;
        if (request.ValueKind != JsonValueKind.Object
            || !request.TryGetProperty("event", out var eventElement) || eventElement.ValueKind != JsonValueKind.String)
        {
            return Invalid(e, "the request must be {event, filter} with the event name as a string");
        }

        if (!request.TryGetProperty("filter", out var filterElement))
        {
            return Invalid(e, "the request has no filter");
        }

        foreach (var property in request.EnumerateObject())
        {
            if (property.Name is not ("event" or "filter"))
            {
                return Invalid(e, $"unknown field '{property.Name}' in the request (event, filter)");
            }
        }

        if (!EventFilter.TryParse(eventElement.GetString()!, filterElement, lenientNumbers: false, out var filter, out var error))
        {
            return Invalid(e, error!);
        }

        var subscriptions = _sockets.GetValue(e.Socket, _ => new SocketSubscriptions());
        if (subscriptions.Add(filter!) is not { } id)
        {
            return e.AckAsync(new { ok = false, error = AckErrorCodes.TooManySubscriptions, detail = $"at most {SocketSubscriptions.MaxPerSocket} per socket" });
        }

        e.Socket.DeliveryFilter ??= subscriptions.Allows;
        Log.Subscribed(logger, e.Socket.Namespace.Name, e.Socket.Id, id, filter!.EventName, filter.ClauseCount);
        return e.AckAsync(new { ok = true, id });
    }

    /// <summary><c>unsubscribe {id}</c> (or the id as a string) → <see cref="UnsubscribeAck"/> <c>{ok:true}</c> or <c>{ok:false, error:"not_found"}</c>.</summary>
    public ValueTask UnsubscribeAsync(SocketEvent e)
    {
        var raw = e.Args.Count > 0 ? e.Args.GetRaw(0) : default;
        var id = raw.ValueKind switch
        {
            JsonValueKind.String => raw.GetString(),
            JsonValueKind.Object when raw.TryGetProperty("id", out var value) && value.ValueKind == JsonValueKind.String => value.GetString(),
            _ => null,
        };
        if (id is null)
        {
            return Invalid(e, "the request must be {id}");
        }

        if (!_sockets.TryGetValue(e.Socket, out var subscriptions) || !subscriptions.Remove(id))
        {
            return e.AckAsync(new { ok = false, error = AckErrorCodes.NotFound });
        }

        if (subscriptions.Count == 0)
        {
            // No subscriptions left: back to unfiltered delivery at no cost.
            e.Socket.DeliveryFilter = null;
        }

        Log.Unsubscribed(logger, e.Socket.Namespace.Name, e.Socket.Id, id);
        return e.AckAsync(new { ok = true });
    }

    private static ValueTask Invalid(SocketEvent e, string detail) =>
        e.AckAsync(new { ok = false, error = AckErrorCodes.InvalidFilter, detail });
}
