using System.Text.Json;

namespace Bms.Realtime.Protocol;

/// <summary>
/// The arguments of an event or acknowledgement, read lazily from the decoded JSON. Binary placeholders
/// are resolved against the packet's attachments when an argument is read as <c>byte[]</c> (at any depth).
/// Immutable and thread-safe.
/// </summary>
public readonly struct EventArguments
{
    private readonly JsonElement _array;
    private readonly int _start;
    private readonly IReadOnlyList<ReadOnlyMemory<byte>>? _attachments;

    /// <summary>Wraps a JSON array, skipping the first <paramref name="start"/> elements.</summary>
    public EventArguments(JsonElement array, int start, IReadOnlyList<ReadOnlyMemory<byte>>? attachments)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new ArgumentException("Arguments must be a JSON array", nameof(array));
        }

        _array = array;
        _start = start;
        _attachments = attachments;
        Count = Math.Max(0, array.GetArrayLength() - start);
    }

    /// <summary>No arguments.</summary>
    public static EventArguments Empty => default;

    /// <summary>The number of arguments.</summary>
    public int Count { get; }

    /// <summary>The binary attachments the placeholders refer to.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Attachments => _attachments ?? [];

    /// <summary>The raw JSON of argument <paramref name="index"/> (placeholders unresolved).</summary>
    public JsonElement GetRaw(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _array[_start + index];
    }

    /// <summary>
    /// Deserializes argument <paramref name="index"/> with <see cref="SocketJson.Options"/> (or the given options),
    /// resolving binary placeholders. Returns <c>default</c> when the index is past the end.
    /// </summary>
    /// <exception cref="JsonException">The argument does not fit <typeparamref name="T"/>.</exception>
    public T? Get<T>(int index, JsonSerializerOptions? options = null)
    {
        if (index >= Count)
        {
            return default;
        }

        var element = GetRaw(index);
        using var scope = SocketJson.BeginRead(_attachments);
        return element.Deserialize<T>(options ?? SocketJson.Options);
    }

    /// <summary>Tries to read argument <paramref name="index"/>; false when missing or of the wrong shape.</summary>
    public bool TryGet<T>(int index, out T? value)
    {
        try
        {
            value = Get<T>(index);
            return index < Count;
        }
        catch (JsonException)
        {
            value = default;
            return false;
        }
        catch (InvalidOperationException)
        {
            value = default;
            return false;
        }
    }

    /// <summary>
    /// All arguments as plain values for re-emitting: JSON elements, with placeholders replaced by <c>byte[]</c>.
    /// </summary>
    public object?[] ToArray()
    {
        var result = new object?[Count];
        for (var i = 0; i < Count; i++)
        {
            var raw = GetRaw(i);
            result[i] = _attachments is { Count: > 0 } ? SocketJson.ResolvePlaceholders(raw, _attachments) : raw;
        }

        return result;
    }
}
