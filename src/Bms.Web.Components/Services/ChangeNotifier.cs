namespace Bms.Web.Components.Services;

/// <summary>
/// A small thread-safe list of change callbacks: <see cref="Subscribe"/> returns the disposable that removes the
/// callback, so a component can drop it on dispose. Callbacks run on the thread that calls <see cref="Notify"/>; an
/// exception in one does not stop the others.
/// </summary>
public sealed class ChangeNotifier
{
    private readonly Lock _gate = new();
    private Action[] _callbacks = [];

    /// <summary>The number of current subscribers.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _callbacks.Length;
            }
        }
    }

    /// <summary>Adds <paramref name="callback"/>; dispose the result to remove it.</summary>
    public IDisposable Subscribe(Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        lock (_gate)
        {
            _callbacks = [.. _callbacks, callback];
        }

        return new Subscription(this, callback);
    }

    /// <summary>Calls every subscriber.</summary>
    public void Notify()
    {
        Action[] callbacks;
        lock (_gate)
        {
            callbacks = _callbacks;
        }

        foreach (var callback in callbacks)
        {
            try
            {
                callback();
            }
            catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException)
            {
                // A component being torn down; it unsubscribes in its Dispose.
            }
        }
    }

    private void Remove(Action callback)
    {
        lock (_gate)
        {
            var index = Array.IndexOf(_callbacks, callback);
            if (index >= 0)
            {
                _callbacks = [.. _callbacks[..index], .. _callbacks[(index + 1)..]];
            }
        }
    }

    private sealed class Subscription(ChangeNotifier owner, Action callback) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Remove(callback);
            }
        }
    }
}
