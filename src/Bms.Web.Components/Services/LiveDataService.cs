using Bms.Contracts;
using Bms.Web.Components.Models;

namespace Bms.Web.Components.Services;

/// <summary>
/// The app's named live data sets: components asking for the same name share one <see cref="LiveDataSet{T}"/>
/// (one load, one subscription). Scoped; disposing it disposes every set. Thread-safe.
/// </summary>
public sealed class LiveDataService(IRealtimeConnection connection, TimeProvider time) : IDisposable
{
    private readonly Dictionary<string, IDisposable> _sets = new(StringComparer.Ordinal);

    /// <summary>
    /// Returns the set named <paramref name="name"/>, creating it with <paramref name="loader"/> and the
    /// <paramref name="triggerEvents"/> (on <see cref="RealtimeEventNames.MainNamespace"/>) on first use.
    /// </summary>
    /// <exception cref="InvalidOperationException">A set with that name exists with another row type.</exception>
    public LiveDataSet<T> GetOrCreate<T>(string name, Func<CancellationToken, Task<IReadOnlyList<T>>> loader, params string[] triggerEvents)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(loader);
        lock (_sets)
        {
            if (_sets.TryGetValue(name, out var existing))
            {
                return existing as LiveDataSet<T>
                    ?? throw new InvalidOperationException($"Live data set '{name}' holds another row type.");
            }

            var set = new LiveDataSet<T>(name, loader, connection, RealtimeEventNames.MainNamespace, triggerEvents, time);
            _sets.Add(name, set);
            return set;
        }
    }

    /// <summary>The names of the sets created so far.</summary>
    public IReadOnlyCollection<string> Names
    {
        get
        {
            lock (_sets)
            {
                return [.. _sets.Keys];
            }
        }
    }

    /// <summary>Disposes every set.</summary>
    public void Dispose()
    {
        lock (_sets)
        {
            foreach (var set in _sets.Values)
            {
                set.Dispose();
            }

            _sets.Clear();
        }
    }
}
