namespace Bms.Web.Components.Models;

/// <summary>
/// Counts per event type and per UTC second over a sliding window (default the last 300 seconds), for
/// <see cref="EventRateChart"/>. Counts older than the window are dropped as time moves on. Not thread-safe: use it
/// from the component's render thread.
/// </summary>
public sealed class EventRateWindow
{
    private readonly Dictionary<string, Dictionary<long, int>> _counts = new(StringComparer.Ordinal);

    /// <summary>Creates a window of <paramref name="seconds"/> seconds.</summary>
    public EventRateWindow(int seconds = 300)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seconds, 2);
        Seconds = seconds;
    }

    /// <summary>The window length in seconds.</summary>
    public int Seconds { get; }

    /// <summary>The event types with counts in the window, in name order.</summary>
    public IReadOnlyList<string> Types => [.. _counts.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Counts one occurrence of <paramref name="type"/> at <paramref name="at"/>.</summary>
    public void Add(string type, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!_counts.TryGetValue(type, out var seconds))
        {
            seconds = [];
            _counts[type] = seconds;
        }

        var second = at.ToUnixTimeSeconds();
        seconds[second] = seconds.GetValueOrDefault(second) + 1;
    }

    /// <summary>
    /// The counts of <paramref name="type"/> per second, oldest first, for the <see cref="Seconds"/> seconds ending with
    /// the second of <paramref name="now"/>; also forgets counts that fell out of the window.
    /// </summary>
    public int[] Series(string type, DateTimeOffset now)
    {
        var result = new int[Seconds];
        if (!_counts.TryGetValue(type, out var seconds))
        {
            return result;
        }

        var last = now.ToUnixTimeSeconds();
        var first = last - Seconds + 1;
        foreach (var second in seconds.Keys.Where(s => s < first).ToList())
        {
            seconds.Remove(second);
        }

        if (seconds.Count == 0)
        {
            _counts.Remove(type);
            return result;
        }

        foreach (var (second, count) in seconds)
        {
            if (second <= last)
            {
                result[second - first] = count;
            }
        }

        return result;
    }
}
