using Bms.Contracts;
using Bms.Realtime.Client;
using Bms.Web.Components.Models;

namespace Bms.Web.Components.Services;

/// <summary>
/// The app's notifications: system notifications sent by administrators and low-stock alerts, newest first, with
/// an unread count. Scoped to the app, so the list survives navigation between pages. The server keeps each user's
/// list and read state: the list is loaded from the API at start and again after a reconnect (so what arrived while
/// the connection was down, and what was read or cleared in another browser, shows up), live ones arrive unread, and
/// mark read / mark all read / clear are applied here at once and sent to the server. Thread-safe.
/// </summary>
public sealed class NotificationCenter : IDisposable
{
    /// <summary>How many notifications are kept (older ones are dropped). </summary>
    public const int Capacity = 100;

    /// <summary>How many notifications are loaded from the server.</summary>
    public const int LoadLimit = 50;

    private readonly IRealtimeConnection _connection;
    private readonly IBmsApi? _api;
    private readonly ChangeNotifier _changed = new();
    private readonly List<DashboardNotification> _items = [];
    private readonly List<IDisposable> _subscriptions = [];
    private readonly Dictionary<string, long> _liveArrivals = new(StringComparer.Ordinal);
    private long _liveSequence;
    private bool _loaded;
    private Task? _start;

    /// <summary>Creates the center; it listens once <see cref="StartAsync"/> is called.</summary>
    public NotificationCenter(IRealtimeConnection connection, IBmsApi? api = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        _api = api;
    }

    /// <summary>The notifications, newest first.</summary>
    public IReadOnlyList<DashboardNotification> Items
    {
        get
        {
            lock (_items)
            {
                return [.. _items];
            }
        }
    }

    /// <summary>How many notifications are unread.</summary>
    public int UnreadCount
    {
        get
        {
            lock (_items)
            {
                return _items.Count(n => !n.IsRead);
            }
        }
    }

    /// <summary>The error of the last failed server call (load or change), or null.</summary>
    public string? LastError { get; private set; }

    /// <summary>Subscribes to changes; dispose the result to unsubscribe.</summary>
    public IDisposable OnChanged(Action callback) => _changed.Subscribe(callback);

    /// <summary>
    /// Starts listening to <c>system:notification</c> and <c>low-stock:alert</c> and loads the user's list from the
    /// server (once per app; later calls return the same task). A failed load is kept in <see cref="LastError"/>.
    /// </summary>
    public Task StartAsync()
    {
        lock (_subscriptions)
        {
            return _start ??= StartCoreAsync();
        }
    }

    /// <summary>Adds a notification (newest first). A notification whose id is already present is ignored.</summary>
    public void Add(DashboardNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        lock (_items)
        {
            if (_items.Any(n => n.Id == notification.Id))
            {
                return;
            }

            _liveArrivals[notification.Id] = ++_liveSequence;
            var index = _items.FindIndex(n => n.Timestamp <= notification.Timestamp);
            _items.Insert(index < 0 ? _items.Count : index, notification);
            if (_items.Count > Capacity)
            {
                _items.RemoveRange(Capacity, _items.Count - Capacity);
            }
        }

        _changed.Notify();
    }

    /// <summary>Marks one notification as read, here and on the server.</summary>
    public async Task MarkAsReadAsync(string id)
    {
        lock (_items)
        {
            var index = _items.FindIndex(n => n.Id == id);
            if (index < 0 || _items[index].IsRead)
            {
                return;
            }

            _items[index] = _items[index] with { IsRead = true };
        }

        _changed.Notify();
        if (Guid.TryParse(id, out var serverId))
        {
            await CallServerAsync(api => api.MarkNotificationReadAsync(serverId)).ConfigureAwait(false);
        }
    }

    /// <summary>Marks every notification as read, here and on the server.</summary>
    public async Task MarkAllAsReadAsync()
    {
        lock (_items)
        {
            for (var i = 0; i < _items.Count; i++)
            {
                _items[i] = _items[i] with { IsRead = true };
            }
        }

        _changed.Notify();
        await CallServerAsync(api => api.MarkAllNotificationsReadAsync()).ConfigureAwait(false);
    }

    /// <summary>Removes every notification, here and from the user's list on the server (lasting).</summary>
    public async Task ClearAsync()
    {
        lock (_items)
        {
            _items.Clear();
        }

        _changed.Notify();
        await CallServerAsync(api => api.ClearNotificationsAsync()).ConfigureAwait(false);
    }

    /// <summary>
    /// Loads the user's list from the server: its rows replace the local ones with the same id (read state included),
    /// local rows it does not have are dropped (cleared elsewhere) unless they arrived after the load began; the first
    /// load drops nothing.
    /// </summary>
    public async Task ReloadAsync()
    {
        if (_api is null)
        {
            return;
        }

        long started;
        lock (_items)
        {
            // The first load only adds: whatever was there before it stays.
            started = _loaded ? _liveSequence : -1;
            _loaded = true;
        }

        IReadOnlyList<NotificationInfo> rows;
        try
        {
            rows = await _api.GetNotificationsAsync(LoadLimit).ConfigureAwait(false);
            LastError = null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            LastError = ex.Message;
            _changed.Notify();
            return;
        }

        lock (_items)
        {
            var server = rows.Select(FromServer).ToList();
            var ids = server.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
            // A live one that arrived during the load may be missing from the answer: keep it.
            var kept = _items.Where(n => !ids.Contains(n.Id) && _liveArrivals.GetValueOrDefault(n.Id) > started).ToList();
            _items.Clear();
            _items.AddRange(server.Concat(kept).OrderByDescending(n => n.Timestamp).Take(Capacity));
            _liveArrivals.Clear();
        }

        _changed.Notify();
    }

    /// <summary>Stops listening.</summary>
    public void Dispose()
    {
        lock (_subscriptions)
        {
            foreach (var subscription in _subscriptions)
            {
                subscription.Dispose();
            }

            _subscriptions.Clear();
        }
    }

    private async Task StartCoreAsync()
    {
        lock (_subscriptions)
        {
            _subscriptions.Add(_connection.Subscribe<EventEnvelope<NotificationInfo>>(
                RealtimeEventNames.MainNamespace, RealtimeEventNames.SystemNotification, OnSystemNotification));
            _subscriptions.Add(_connection.Subscribe<EventEnvelope<LowStockAlert>>(
                RealtimeEventNames.MainNamespace, RealtimeEventNames.LowStockAlert, OnLowStock));
        }

        EventHandler<ConnectionStateChangedEventArgs> onState = (_, e) =>
        {
            // What arrived (or was read or cleared elsewhere) while the connection was down: ask the server again.
            if (e.Current == ConnectionState.Connected && e.Previous == ConnectionState.Reconnecting)
            {
                _ = ReloadAsync();
            }
        };
        _connection.StateChanged += onState;
        lock (_subscriptions)
        {
            _subscriptions.Add(new Unsubscriber(() => _connection.StateChanged -= onState));
        }

        await ReloadAsync().ConfigureAwait(false);
    }

    private static DashboardNotification FromServer(NotificationInfo n) => new()
    {
        Id = n.Id.ToString(),
        Title = n.Title,
        Message = n.Message,
        Severity = DashboardNotification.ParseSeverity(n.Severity),
        Source = n.Kind,
        Timestamp = n.CreatedAt,
        IsRead = n.Read,
    };

    private async Task CallServerAsync(Func<IBmsApi, Task> call)
    {
        if (_api is null)
        {
            return;
        }

        try
        {
            await call(_api).ConfigureAwait(false);
            LastError = null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            // The local change stands; the next load shows the server's state.
            LastError = ex.Message;
            _changed.Notify();
        }
    }

    private Task OnSystemNotification(EventEnvelope<NotificationInfo>? envelope)
    {
        if (envelope?.Data is { } n)
        {
            Add(new DashboardNotification
            {
                Id = n.Id == Guid.Empty ? envelope.Id : n.Id.ToString(),
                Title = n.Title,
                Message = n.Message,
                Severity = DashboardNotification.ParseSeverity(n.Severity),
                Timestamp = envelope.Timestamp,
            });
        }

        return Task.CompletedTask;
    }

    private Task OnLowStock(EventEnvelope<LowStockAlert>? envelope)
    {
        if (envelope?.Data is { } alert)
        {
            Add(new DashboardNotification
            {
                Id = envelope.Id,
                Title = $"{(alert.Quantity <= 0 ? "Out of stock" : "Low stock")}: {alert.Name}",
                Message = $"{alert.Sku} has {alert.Quantity} left (threshold {alert.LowStockThreshold}).",
                Severity = alert.Quantity <= 0 ? NotificationSeverity.Error : NotificationSeverity.Warning,
                Source = "low-stock",
                Timestamp = envelope.Timestamp,
            });
        }

        return Task.CompletedTask;
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
