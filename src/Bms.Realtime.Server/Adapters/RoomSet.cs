using System.Collections;
using System.Collections.Immutable;

namespace Bms.Realtime.Server.Adapters;

/// <summary>
/// A set of room names or socket ids (ordinal) that holds one element in a field and becomes a
/// <see cref="HashSet{T}"/> only from the second: every socket is alone in the room named by its id, and most sockets
/// are in no other room, so the adapter's two entries per socket stay a few dozen bytes. Not thread-safe (the
/// adapter's lock guards it).
/// </summary>
internal sealed class RoomSet : IEnumerable<string>
{
    private string? _single;
    private HashSet<string>? _many;

    public int Count => _many?.Count ?? (_single is null ? 0 : 1);

    public bool Contains(string value) => _many?.Contains(value) ?? string.Equals(_single, value, StringComparison.Ordinal);

    public bool Add(string value)
    {
        if (_many is not null)
        {
            return _many.Add(value);
        }

        if (_single is null)
        {
            _single = value;
            return true;
        }

        if (string.Equals(_single, value, StringComparison.Ordinal))
        {
            return false;
        }

        _many = new HashSet<string>(StringComparer.Ordinal) { _single, value };
        _single = null;
        return true;
    }

    public bool Remove(string value)
    {
        if (_many is not null)
        {
            return _many.Remove(value);
        }

        if (!string.Equals(_single, value, StringComparison.Ordinal))
        {
            return false;
        }

        _single = null;
        return true;
    }

    public ImmutableHashSet<string> ToImmutableHashSet() =>
        _many?.ToImmutableHashSet(StringComparer.Ordinal)
        ?? (_single is null ? ImmutableHashSet<string>.Empty : ImmutableHashSet.Create(StringComparer.Ordinal, _single));

    public IEnumerator<string> GetEnumerator()
    {
        if (_many is not null)
        {
            return _many.GetEnumerator();
        }

        return _single is null ? Enumerable.Empty<string>().GetEnumerator() : Single(_single);

        static IEnumerator<string> Single(string value)
        {
            yield return value;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
