namespace Bms.Realtime.Client;

/// <summary>Event subscriptions and the ordered dispatch of received events.</summary>
public sealed partial class NamespaceSocket
{
    private readonly Dictionary<string, Subscription[]> _handlers = new(StringComparer.Ordinal);
    private Subscription[] _anyHandlers = [];

    /// <summary>
    /// Subscribes to <paramref name="eventName"/> with access to every argument and the ack. Several handlers per event
    /// are allowed; they run in subscription order, one event at a time, in arrival order. Dispose the result to unsubscribe
    /// (no call is made after <c>Dispose</c> returns, except one already running).
    /// </summary>
    public IDisposable On(string eventName, Func<IncomingEvent, ValueTask> handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        ArgumentNullException.ThrowIfNull(handler);
        var subscription = new Subscription(this, eventName, handler);
        lock (_gate)
        {
            _handlers[eventName] = _handlers.TryGetValue(eventName, out var existing) ? [.. existing, subscription] : [subscription];
        }

        return subscription;
    }

    /// <summary>Subscribes with the first argument deserialized as <typeparamref name="T"/> (System.Text.Json, camelCase).</summary>
    public IDisposable On<T>(string eventName, Func<T?, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return On(eventName, e => handler(e.Get<T>(0)));
    }

    /// <summary>Subscribes with a synchronous handler receiving the first argument as <typeparamref name="T"/>.</summary>
    public IDisposable On<T>(string eventName, Action<T?> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return On(eventName, e =>
        {
            handler(e.Get<T>(0));
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>
    /// Answers server requests: the handler's result is sent as the acknowledgement when the server asked for one
    /// (a server <c>emitWithAck</c>). When the handler throws (or the argument cannot be read as
    /// <typeparamref name="T"/>), the server gets the error acknowledgement <see cref="HandlerErrorAck"/>
    /// (<c>{"ok": false, "error": "handler_error"}</c>) at once instead of waiting out its timeout; the exception is
    /// logged, and the exception text is never sent.
    /// </summary>
    public IDisposable On<T, TResult>(string eventName, Func<T?, ValueTask<TResult>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return On(eventName, async e =>
        {
            TResult result;
            try
            {
                result = await handler(e.Get<T>(0)).ConfigureAwait(false);
            }
            catch
            {
                await e.AckAsync(HandlerErrorAck).ConfigureAwait(false);
                throw;
            }

            await e.AckAsync(result).ConfigureAwait(false);
        });
    }

    /// <summary>The acknowledgement sent for a request whose <c>On&lt;T, TResult&gt;</c> handler failed.</summary>
    public static object HandlerErrorAck { get; } = new Dictionary<string, object> { ["ok"] = false, ["error"] = "handler_error" };

    /// <summary>Subscribes to every event (after the event's own handlers).</summary>
    public IDisposable OnAny(Func<IncomingEvent, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var subscription = new Subscription(this, null, handler);
        lock (_gate)
        {
            _anyHandlers = [.. _anyHandlers, subscription];
        }

        return subscription;
    }

    /// <summary>Removes every handler of <paramref name="eventName"/>.</summary>
    public void Off(string eventName)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        Subscription[]? removed;
        lock (_gate)
        {
            _handlers.Remove(eventName, out removed);
        }

        foreach (var subscription in removed ?? [])
        {
            subscription.MarkDisposed();
        }
    }

    /// <summary>Removes every handler, catch-all ones included.</summary>
    public void Off()
    {
        List<Subscription> removed;
        lock (_gate)
        {
            removed = [.. _handlers.Values.SelectMany(h => h), .. _anyHandlers];
            _handlers.Clear();
            _anyHandlers = [];
        }

        foreach (var subscription in removed)
        {
            subscription.MarkDisposed();
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate)
        {
            if (subscription.EventName is null)
            {
                _anyHandlers = [.. _anyHandlers.Where(s => s != subscription)];
            }
            else if (_handlers.TryGetValue(subscription.EventName, out var existing))
            {
                var remaining = existing.Where(s => s != subscription).ToArray();
                if (remaining.Length == 0)
                {
                    _handlers.Remove(subscription.EventName);
                }
                else
                {
                    _handlers[subscription.EventName] = remaining;
                }
            }
        }
    }

    private async ValueTask InvokeHandlersAsync(IncomingEvent incoming)
    {
        Subscription[] specific;
        Subscription[] any;
        lock (_gate)
        {
            specific = _handlers.TryGetValue(incoming.Name, out var handlers) ? handlers : [];
            any = _anyHandlers;
        }

        if (specific.Length == 0 && any.Length == 0)
        {
            Log.Unhandled(_logger, Namespace, incoming.Name);
            return;
        }

        foreach (var subscription in specific.Concat(any))
        {
            if (subscription.IsDisposed)
            {
                continue;
            }

            try
            {
                await subscription.Handler(incoming).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // A failing handler must not stop the others nor the dispatch loop.
                Log.HandlerFailed(_logger, Namespace, incoming.Name, ex);
            }
        }
    }

    private sealed class Subscription : IDisposable
    {
        private readonly NamespaceSocket _owner;
        private int _disposed;

        public Subscription(NamespaceSocket owner, string? eventName, Func<IncomingEvent, ValueTask> handler)
        {
            _owner = owner;
            EventName = eventName;
            Handler = handler;
        }

        public string? EventName { get; }

        public Func<IncomingEvent, ValueTask> Handler { get; }

        public bool IsDisposed => Volatile.Read(ref _disposed) == 1;

        public void MarkDisposed() => Volatile.Write(ref _disposed, 1);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _owner.Remove(this);
            }
        }
    }
}
