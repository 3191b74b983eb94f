using Bms.Realtime.Client;

namespace Bms.Web.Components.Services;

/// <summary>
/// A named data set kept current (the web platform's <c>useRealTimeData</c> hook): loaded once, then reloaded whenever
/// one of its trigger events arrives. Reloads are coalesced (events arriving during a reload cause one more reload, not
/// one each), and once more after a reconnect, since events sent while disconnected are lost. <see cref="LastUpdated"/> says when the data last changed. Thread-safe; obtained from
/// <see cref="LiveDataService"/> and disposed with the app.
/// </summary>
/// <typeparam name="T">The row type.</typeparam>
public sealed class LiveDataSet<T> : IDisposable
{
    private readonly Func<CancellationToken, Task<IReadOnlyList<T>>> _loader;
    private readonly TimeProvider _time;
    private readonly List<IDisposable> _subscriptions = [];
    private readonly ChangeNotifier _changed = new();
    private readonly SemaphoreSlim _loadGate = new(1, 1);
    private readonly CancellationTokenSource _disposeCts = new();
    private int _pendingReloads;
    private IReadOnlyList<T> _items = [];
    private Task? _firstLoad;
    private int _disposed;

    internal LiveDataSet(
        string name,
        Func<CancellationToken, Task<IReadOnlyList<T>>> loader,
        IRealtimeConnection connection,
        string @namespace,
        IReadOnlyList<string> triggerEvents,
        TimeProvider time)
    {
        Name = name;
        _loader = loader;
        _time = time;
        TriggerEvents = triggerEvents;
        foreach (var eventName in triggerEvents)
        {
            _subscriptions.Add(connection.Subscribe<object>(@namespace, eventName, _ => RequestReload()));
        }

        // Events sent while the connection was down are lost: reload once it is back.
        EventHandler<ConnectionStateChangedEventArgs> onState = (_, e) =>
        {
            if (e.Current == ConnectionState.Connected && e.Previous == ConnectionState.Reconnecting)
            {
                _ = RequestReload();
            }
        };
        connection.StateChanged += onState;
        _subscriptions.Add(new StateSubscription(() => connection.StateChanged -= onState));
    }

    /// <summary>The set's name, e.g. <c>products</c>.</summary>
    public string Name { get; }

    /// <summary>The events that cause a reload.</summary>
    public IReadOnlyList<string> TriggerEvents { get; }

    /// <summary>The current rows (empty before the first load).</summary>
    public IReadOnlyList<T> Items => Volatile.Read(ref _items);

    /// <summary>When the rows were last loaded; null before the first load.</summary>
    public DateTimeOffset? LastUpdated { get; private set; }

    /// <summary>True while a load runs.</summary>
    public bool IsLoading { get; private set; }

    /// <summary>The error of the last load, or null when it succeeded.</summary>
    public string? Error { get; private set; }

    /// <summary>Incremented by every successful load.</summary>
    public int Version { get; private set; }

    /// <summary>Subscribes to changes (load started, finished or failed); dispose the result to unsubscribe.</summary>
    public IDisposable OnChanged(Action callback) => _changed.Subscribe(callback);

    /// <summary>Loads the data once (later calls return the same task); use <see cref="RefreshAsync"/> to reload.</summary>
    public Task EnsureLoadedAsync()
    {
        lock (_subscriptions)
        {
            return _firstLoad ??= RefreshAsync();
        }
    }

    /// <summary>Reloads now (waits for a running load first). Failures are kept in <see cref="Error"/>, not thrown.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposeCts.Token);
        try
        {
            await _loadGate.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            IsLoading = true;
            _changed.Notify();
            var rows = await _loader(linked.Token).ConfigureAwait(false);
            Volatile.Write(ref _items, rows);
            LastUpdated = _time.GetUtcNow();
            Error = null;
            Version++;
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            Error = ex.Message;
        }
        finally
        {
            IsLoading = false;
            _loadGate.Release();
        }

        _changed.Notify();
    }

    /// <summary>Unsubscribes from the trigger events and stops loading.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _disposeCts.Cancel();
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        _disposeCts.Dispose();
    }

    private sealed class StateSubscription(Action unsubscribe) : IDisposable
    {
        public void Dispose() => unsubscribe();
    }

    private async Task RequestReload()
    {
        // Coalesce bursts (a sale raises one inventory event per line): one reload runs, one more may wait.
        if (Interlocked.Increment(ref _pendingReloads) > 1)
        {
            return;
        }

        try
        {
            await Task.Yield();
            int seen;
            do
            {
                seen = Volatile.Read(ref _pendingReloads);
                if (Volatile.Read(ref _disposed) == 1)
                {
                    return;
                }

                await RefreshAsync().ConfigureAwait(false);
            }
            while (Interlocked.Add(ref _pendingReloads, -seen) > 0);
        }
        catch (ObjectDisposedException)
        {
            // Disposed while reloading.
        }
    }
}
