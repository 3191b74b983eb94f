using System.Collections.Immutable;
using System.Globalization;
using Bms.Realtime.Server.Adapters;

namespace Bms.Server.Routing;

/// <summary>
/// The filters one socket subscribed with, grouped by event type, and the delivery predicate built on them: an event
/// type without subscriptions passes; one with subscriptions passes when any of its filters matches. Thread-safe:
/// writers swap an immutable snapshot under a lock, the predicate reads the snapshot without locking.
/// </summary>
internal sealed class SocketSubscriptions
{
    /// <summary>Most subscriptions a socket may hold.</summary>
    public const int MaxPerSocket = 16;

    private readonly Lock _lock = new();
    private ImmutableDictionary<string, ImmutableArray<Entry>> _byEvent = ImmutableDictionary.Create<string, ImmutableArray<Entry>>(StringComparer.Ordinal);
    private int _count;
    private long _nextId;

    /// <summary>The number of subscriptions.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Adds a subscription; returns its id, or null when the socket already holds <see cref="MaxPerSocket"/>.</summary>
    public string? Add(EventFilter filter)
    {
        lock (_lock)
        {
            if (_count >= MaxPerSocket)
            {
                return null;
            }

            var id = "sub-" + (++_nextId).ToString(CultureInfo.InvariantCulture);
            var list = _byEvent.TryGetValue(filter.EventName, out var existing) ? existing : [];
            Volatile.Write(ref _byEvent, _byEvent.SetItem(filter.EventName, list.Add(new Entry(id, filter))));
            _count++;
            return id;
        }
    }

    /// <summary>Removes a subscription by id; false when there is none.</summary>
    public bool Remove(string id)
    {
        lock (_lock)
        {
            foreach (var (eventName, list) in _byEvent)
            {
                if (list.FirstOrDefault(e => e.Id == id) is { } entry)
                {
                    var rest = list.Remove(entry);
                    Volatile.Write(ref _byEvent, rest.IsEmpty ? _byEvent.Remove(eventName) : _byEvent.SetItem(eventName, rest));
                    _count--;
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>The subscriptions (id, event, filter JSON), for listing.</summary>
    public IReadOnlyList<(string Id, string EventName, string Filter)> List() =>
        [.. Volatile.Read(ref _byEvent).SelectMany(p => p.Value.Select(e => (e.Id, p.Key, e.Filter.Json))).OrderBy(e => e.Id, StringComparer.Ordinal)];

    /// <summary>The delivery predicate: false only when the event's type has subscriptions and none of them matches.</summary>
    public bool Allows(BroadcastPacket packet)
    {
        var map = Volatile.Read(ref _byEvent);
        if (map.IsEmpty || packet.EventName is not { } name || !map.TryGetValue(name, out var entries))
        {
            return true;
        }

        var payload = packet.FirstArgument;
        foreach (var entry in entries)
        {
            if (entry.Filter.Matches(payload))
            {
                return true;
            }
        }

        return false;
    }

    private sealed record Entry(string Id, EventFilter Filter);
}
