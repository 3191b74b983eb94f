using System.Collections.Concurrent;
using System.Text;

namespace Bms.Realtime.Protocol;

/// <summary>
/// A bounded cache of the few strings a connection sees over and over (namespaces, event names), looked up by their
/// UTF-8 bytes, so decoding does not allocate a string per packet. Thread-safe. Once full, misses simply allocate:
/// a peer sending endless distinct names costs at most <c>maxEntries</c> small strings.
/// </summary>
internal sealed class Utf8StringCache
{
    private readonly ConcurrentDictionary<int, Entry> _entries = new();
    private readonly int _maxEntries;
    private readonly int _maxLength;
    private int _count;

    public Utf8StringCache(int maxEntries, int maxLength)
    {
        _maxEntries = maxEntries;
        _maxLength = maxLength;
    }

    /// <summary>Namespace names (decoder).</summary>
    public static Utf8StringCache Namespaces { get; } = new(maxEntries: 1024, maxLength: 128);

    /// <summary>Event names (<see cref="SocketPacket.EventName"/>).</summary>
    public static Utf8StringCache EventNames { get; } = new(maxEntries: 4096, maxLength: 64);

    /// <summary>Returns the string for <paramref name="utf8"/>, which must be valid UTF-8.</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > _maxLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        // HashCode is seeded per process, so a peer cannot aim collisions at a known name.
        var hash = new HashCode();
        hash.AddBytes(utf8);
        var key = hash.ToHashCode();
        if (_entries.TryGetValue(key, out var entry) && entry.Utf8.AsSpan().SequenceEqual(utf8))
        {
            return entry.Value;
        }

        var value = Encoding.UTF8.GetString(utf8);
        if (entry is null && Volatile.Read(ref _count) < _maxEntries && _entries.TryAdd(key, new Entry(utf8.ToArray(), value)))
        {
            Interlocked.Increment(ref _count);
        }

        return value;
    }

    private sealed record Entry(byte[] Utf8, string Value);
}
