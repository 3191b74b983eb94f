using Bms.Contracts;
using Bms.Web.Components.Models;
using NotificationSeverity = Bms.Web.Components.Models.NotificationSeverity;

namespace Bms.Web.Components.Services;

/// <summary>
/// The app's notifications: system notifications sent by administrators and low-stock alerts, newest first, with
/// an unread count. Scoped to the app, so the list survives navigation between pages. Recent notifications are
/// loaded once from the API as already read; live ones arrive unread. Thread-safe.
/// </summary>
public sealed class NotificationCenter : IDisposable
{
    /// <summary>How many notifications are kept (older ones are dropped). </summary>
    public const int Capacity = 100;

    private readonly IRealtimeConnection _connection;
    private readonly IBmsApi? _api;
    private readonly ChangeNotifier _changed = new();
    private readonly List<DashboardNotification> _items = [];
    private readonly List<IDisposable> _subscriptions = [];
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

    /// <summary>Subscribes to changes; dispose the result to unsubscribe.</summary>
    public IDisposable OnChanged(Action callback) => _changed.Subscribe(callback);

    /// <summary>
    /// Starts listening to <c>system:notification</c> and <c>low-stock:alert</c> and loads the recent history
    /// (once per app; later calls return the same task). A failed history load is ignored.
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

            var index = _items.FindIndex(n => n.Timestamp <= notification.Timestamp);
            _items.Insert(index < 0 ? _items.Count : index, notification);
            if (_items.Count > Capacity)
            {
                _items.RemoveRange(Capacity, _items.Count - Capacity);
            }
        }

        _changed.Notify();
    }

    /// <summary>Marks one notification as read.</summary>
    public void MarkAsRead(string id)
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
    }

    /// <summary>Marks every notification as read.</summary>
    public void MarkAllAsRead()
    {
        lock (_items)
        {
            for (var i = 0; i < _items.Count; i++)
            {
                _items[i] = _items[i] with { IsRead = true };
            }
        }

        _changed.Notify();
    }

    /// <summary>Removes every notification.</summary>
    public void Clear()
    {
        lock (_items)
        {
            _items.Clear();
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

        if (_api is null)
        {
            return;
        }

        try
        {
            foreach (var n in await _api.GetNotificationsAsync(20).ConfigureAwait(false))
            {
                Add(new DashboardNotification
                {
                    Id = n.Id.ToString(),
                    Title = n.Title,
                    Message = n.Message,
                    Severity = DashboardNotification.ParseSeverity(n.Severity),
                    Timestamp = n.CreatedAt,
                    IsRead = true,
                });
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            // History is a convenience; live notifications still arrive.
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
                Title = $"Low stock: {alert.Name}",
                Message = $"{alert.Sku} has {alert.Quantity} left (threshold {alert.LowStockThreshold}).",
                Severity = alert.Quantity <= 0 ? NotificationSeverity.Critical : NotificationSeverity.Warning,
                Source = "low-stock",
                Timestamp = envelope.Timestamp,
            });
        }

        return Task.CompletedTask;
    }
}
