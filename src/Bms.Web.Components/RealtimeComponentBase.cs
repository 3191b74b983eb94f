using Bms.Contracts;
using Bms.Realtime.Client;
using Bms.Web.Components.Models;
using Bms.Web.Components.Services;
using Microsoft.AspNetCore.Components;

namespace Bms.Web.Components;

/// <summary>
/// Base of the real-time components: subscriptions made through it (events, connection state, service changes) are
/// removed when the component is disposed, and every callback re-renders the component on its dispatcher. The
/// equivalent of the web platform's <c>useWebSocketEvent</c> and <c>useConnectionState</c> hooks.
/// </summary>
/// <example>
/// <code>
/// protected override void OnInitialized()
/// {
///     Subscribe&lt;EventEnvelope&lt;InventoryUpdate&gt;&gt;(RealtimeEventNames.InventoryUpdated, e => { last = e?.Data; return Task.CompletedTask; });
///     WatchConnectionState();
/// }
/// </code>
/// </example>
public abstract class RealtimeComponentBase : ComponentBase, IDisposable
{
    private readonly List<IDisposable> _subscriptions = [];
    private bool _disposed;

    /// <summary>The app's shared connection.</summary>
    [Inject]
    protected IRealtimeConnection Connection { get; set; } = default!;

    /// <summary>True once disposed; callbacks arriving later are ignored.</summary>
    protected bool IsDisposed => Volatile.Read(ref _disposed);

    /// <summary>How many subscriptions this component holds (for tests and diagnostics).</summary>
    public int SubscriptionCount
    {
        get
        {
            lock (_subscriptions)
            {
                return _subscriptions.Count;
            }
        }
    }

    /// <summary>
    /// Subscribes to <paramref name="eventName"/> (on <c>/main</c> unless <paramref name="namespace"/> says otherwise);
    /// <paramref name="handler"/> runs on the component's dispatcher and the component re-renders after it.
    /// </summary>
    protected void Subscribe<T>(string eventName, Func<T?, Task> handler, string @namespace = RealtimeEventNames.MainNamespace)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Track(Connection.Subscribe<T>(@namespace, eventName, value => RunOnDispatcherAsync(() => handler(value))));
    }

    /// <summary>Re-renders on every connection state change and calls <see cref="OnConnectionStateChanged"/> first.</summary>
    protected void WatchConnectionState()
    {
        EventHandler<ConnectionStateChangedEventArgs> handler = (_, e) => _ = RunOnDispatcherAsync(() =>
        {
            OnConnectionStateChanged(e);
            return Task.CompletedTask;
        });
        Connection.StateChanged += handler;
        Track(new Unsubscriber(() => Connection.StateChanged -= handler));
    }

    /// <summary>Re-renders whenever a service's change notification fires (pass its <c>OnChanged</c>).</summary>
    protected void RenderOn(Func<Action, IDisposable> onChanged)
    {
        ArgumentNullException.ThrowIfNull(onChanged);
        Track(onChanged(() => _ = RunOnDispatcherAsync(() => Task.CompletedTask)));
    }

    /// <summary>Re-renders every <paramref name="interval"/> (relative times such as "12 s ago" age without events).</summary>
    protected void RenderEvery(TimeSpan interval, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        Track(time.CreateTimer(_ => _ = RunOnDispatcherAsync(() => Task.CompletedTask), null, interval, interval));
    }

    /// <summary>Keeps <paramref name="subscription"/> until the component is disposed.</summary>
    protected void Track(IDisposable subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        lock (_subscriptions)
        {
            if (!_disposed)
            {
                _subscriptions.Add(subscription);
                return;
            }
        }

        subscription.Dispose();
    }

    /// <summary>Called on the dispatcher after a connection state change (when <see cref="WatchConnectionState"/> was called).</summary>
    protected virtual void OnConnectionStateChanged(ConnectionStateChangedEventArgs change)
    {
    }

    /// <summary>Runs <paramref name="action"/> on the dispatcher and re-renders, unless the component is disposed.</summary>
    protected async Task RunOnDispatcherAsync(Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (IsDisposed)
        {
            return;
        }

        try
        {
            await InvokeAsync(async () =>
            {
                if (IsDisposed)
                {
                    return;
                }

                await action();
                StateHasChanged();
            });
        }
        catch (ObjectDisposedException)
        {
            // The app scope is gone.
        }
    }

    /// <summary>Removes every subscription.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Removes every subscription; override to release more (call the base).</summary>
    protected virtual void Dispose(bool disposing)
    {
        List<IDisposable> subscriptions;
        lock (_subscriptions)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            subscriptions = [.. _subscriptions];
            _subscriptions.Clear();
        }

        foreach (var subscription in subscriptions)
        {
            subscription.Dispose();
        }
    }

    private sealed class Unsubscriber(Action action) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                action();
            }
        }
    }
}
