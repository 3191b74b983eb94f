using System.Threading.Channels;

namespace Bms.Testing;

/// <summary>Collects values produced on other threads so a test can await them one by one, with a timeout.</summary>
public sealed class Collector<T>
{
    private readonly Channel<T> _channel = Channel.CreateUnbounded<T>();
    private readonly List<T> _all = [];

    public void Add(T value)
    {
        lock (_all)
        {
            _all.Add(value);
        }

        _channel.Writer.TryWrite(value);
    }

    public IReadOnlyList<T> All
    {
        get
        {
            lock (_all)
            {
                return [.. _all];
            }
        }
    }

    public async Task<T> NextAsync(TimeSpan? timeout = null) =>
        await _channel.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? TimeSpan.FromSeconds(10));

    public async Task<List<T>> TakeAsync(int count, TimeSpan? timeout = null)
    {
        var result = new List<T>(count);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (result.Count < count)
        {
            result.Add(await _channel.Reader.ReadAsync(cts.Token).AsTask().WaitAsync(timeout ?? TimeSpan.FromSeconds(20)));
        }

        return result;
    }

    /// <summary>True when nothing more arrives within <paramref name="quiet"/>.</summary>
    public async Task<bool> StaysEmptyAsync(TimeSpan quiet)
    {
        using var cts = new CancellationTokenSource(quiet);
        try
        {
            await _channel.Reader.WaitToReadAsync(cts.Token).AsTask().WaitAsync(quiet + TimeSpan.FromSeconds(5));
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }
}
