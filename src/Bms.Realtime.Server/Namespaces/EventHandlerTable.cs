using System.Collections.Immutable;

namespace Bms.Realtime.Server.Namespaces;

/// <summary>
/// A socket's named event handlers: a copy-on-write array of (event, handlers) entries searched linearly, much smaller
/// per socket than a dictionary for the few events a socket usually handles. Lock-free: readers see a consistent
/// snapshot; writers retry with compare-and-swap. Thread-safe.
/// </summary>
internal struct EventHandlerTable
{
    private Entry[]? _entries;

    /// <summary>The handlers of <paramref name="name"/>, or an empty array.</summary>
    public readonly ImmutableArray<Func<SocketEvent, ValueTask>> Get(string name)
    {
        var entries = Volatile.Read(in _entries);
        if (entries is not null)
        {
            foreach (var entry in entries)
            {
                if (string.Equals(entry.Name, name, StringComparison.Ordinal))
                {
                    return entry.Handlers;
                }
            }
        }

        return [];
    }

    /// <summary>Adds a handler for <paramref name="name"/>.</summary>
    public void Add(string name, Func<SocketEvent, ValueTask> handler) => Update(name, list => list.Add(handler));

    /// <summary>Removes one handler of <paramref name="name"/>.</summary>
    public void Remove(string name, Func<SocketEvent, ValueTask> handler) => Update(name, list => list.Remove(handler));

    /// <summary>Removes every handler of <paramref name="name"/>.</summary>
    public void RemoveAll(string name) => Update(name, static _ => []);

    private void Update(string name, Func<ImmutableArray<Func<SocketEvent, ValueTask>>, ImmutableArray<Func<SocketEvent, ValueTask>>> change)
    {
        while (true)
        {
            var current = Volatile.Read(ref _entries);
            var index = -1;
            if (current is not null)
            {
                for (var i = 0; i < current.Length; i++)
                {
                    if (string.Equals(current[i].Name, name, StringComparison.Ordinal))
                    {
                        index = i;
                        break;
                    }
                }
            }

            var updated = change(index >= 0 ? current![index].Handlers : []);
            Entry[]? next;
            if (updated.IsEmpty)
            {
                if (index < 0)
                {
                    return;
                }

                next = current!.Length == 1 ? null : [.. current.AsSpan(0, index), .. current.AsSpan(index + 1)];
            }
            else if (index >= 0)
            {
                next = (Entry[])current!.Clone();
                next[index] = new Entry(name, updated);
            }
            else
            {
                next = current is null ? [new Entry(name, updated)] : [.. current, new Entry(name, updated)];
            }

            if (ReferenceEquals(Interlocked.CompareExchange(ref _entries, next, current), current))
            {
                return;
            }
        }
    }

    private readonly record struct Entry(string Name, ImmutableArray<Func<SocketEvent, ValueTask>> Handlers);
}
