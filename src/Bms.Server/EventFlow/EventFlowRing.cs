namespace Bms.Server.EventFlow;

/// <summary>
/// A fixed-capacity ring of <see cref="EventFlowRecord"/>s: adding is O(1) and overwrites the oldest; reads copy.
/// Sequence numbers start at 1 and never repeat within the process. Thread-safe.
/// </summary>
internal sealed class EventFlowRing(int capacity)
{
    private readonly EventFlowRecord?[] _items = new EventFlowRecord?[capacity];
    private readonly Lock _lock = new();
    private long _last;

    /// <summary>The most records kept.</summary>
    public int Capacity => _items.Length;

    /// <summary>The sequence number of the newest record (0 when empty).</summary>
    public long LastSeq
    {
        get
        {
            lock (_lock)
            {
                return _last;
            }
        }
    }

    /// <summary>Adds the record that <paramref name="create"/> makes with the next sequence number.</summary>
    public EventFlowRecord Add(Func<long, EventFlowRecord> create)
    {
        lock (_lock)
        {
            var record = create(++_last);
            _items[(int)(_last % _items.Length)] = record;
            return record;
        }
    }

    /// <summary>The records after <paramref name="after"/>, oldest first; at most the newest <paramref name="max"/>.</summary>
    public List<EventFlowRecord> Since(long after, int max)
    {
        lock (_lock)
        {
            var first = Math.Max(Math.Max(after + 1, _last - _items.Length + 1), _last - max + 1);
            var result = new List<EventFlowRecord>((int)Math.Max(0, _last - first + 1));
            for (var seq = Math.Max(first, 1); seq <= _last; seq++)
            {
                if (_items[(int)(seq % _items.Length)] is { } record)
                {
                    result.Add(record);
                }
            }

            return result;
        }
    }
}
