using System.Globalization;
using Bms.Pos.Storage;
using Bms.Pos.Sync;
using Bms.Realtime.Client;

namespace Bms.Pos;

public sealed partial class PosWebSocketService
{
    private void Subscribe()
    {
        _subscriptions.Add(Socket.On<EventEnvelope<ProductDto>>(RealtimeEventNames.ProductUpdated, OnProductUpdatedAsync));
        _subscriptions.Add(Socket.On<EventEnvelope<InventoryUpdatedData>>(RealtimeEventNames.InventoryUpdated, OnInventoryUpdatedAsync));
        _subscriptions.Add(Socket.On<EventEnvelope<NotificationDto>>(RealtimeEventNames.SystemNotification, OnSystemNotificationAsync));
        _subscriptions.Add(Socket.On<EventEnvelope<LowStockAlertData>>(RealtimeEventNames.LowStockAlert, OnLowStockAsync));
        _subscriptions.Add(Socket.On<EventEnvelope<SyncRequestData>>(RealtimeEventNames.SyncRequest, OnSyncRequested));
        Socket.Connected += (_, _) => _ = OnConnectedAsync();
        Socket.Disconnected += (_, _) => _ = RefreshStatusAsync();
        Client.StateChanged += (_, _) => _ = RefreshStatusAsync();
        Sync.SyncingChanged += (_, _) => _ = RefreshStatusAsync();
        Sync.SyncCompleted += (_, result) => _ = OnSyncCompletedAsync(result);
    }

    private async Task ConnectInBackgroundAsync()
    {
        try
        {
            await Socket.ConnectAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The socket keeps retrying on its own (TimeoutException) unless the server refused the terminal.
            Log.ConnectFailed(_logger, ex.Message);
        }
    }

    private async Task OnConnectedAsync()
    {
        try
        {
            if (Auth.Identity is { } identity)
            {
                foreach (var room in new[] { Rooms.Store(identity.StoreId), Rooms.Terminal(identity.TerminalId) })
                {
                    if (!Socket.Rooms.Contains(room))
                    {
                        var joined = await Socket.JoinRoomAsync(room, AckTimeout).ConfigureAwait(false);
                        if (!joined.Ok)
                        {
                            Log.JoinRefused(_logger, room, joined.Error ?? "?");
                        }
                    }
                }
            }

            // Back online: push what was sold meanwhile and pull what was missed.
            Sync.RequestSync();
            await RefreshStatusAsync().ConfigureAwait(false);
            await ReportSyncStatusAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(_logger, "connect", ex);
        }
    }

    private async Task OnSyncCompletedAsync(SyncRunResult result)
    {
        try
        {
            foreach (var shortfall in result.NegativeStock)
            {
                await AddNotificationAsync(new PosNotification(Guid.CreateVersion7().ToString(), "sync", "Negative stock",
                    string.Create(CultureInfo.InvariantCulture, $"{shortfall.Sku} is at {shortfall.Quantity} on the server after synced sales."),
                    "warning", _time.GetUtcNow().UtcDateTime, false)).ConfigureAwait(false);
            }

            await RefreshStatusAsync().ConfigureAwait(false);
            if (!result.LeaseBusy)
            {
                await ReportSyncStatusAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(_logger, "sync-completed", ex);
        }
    }

    private async ValueTask OnProductUpdatedAsync(EventEnvelope<ProductDto>? e)
    {
        if (e?.Data is not { } product || Auth.Identity is not { } identity || product.StoreId != identity.StoreId)
        {
            return;
        }

        await Store.UpsertProductsAsync([product]).ConfigureAwait(false);
        ProductChanged?.Invoke(this, product.Id);
    }

    private async ValueTask OnInventoryUpdatedAsync(EventEnvelope<InventoryUpdatedData>? e)
    {
        if (e?.Data is not { } data || Auth.Identity is not { } identity || data.StoreId != identity.StoreId)
        {
            return;
        }

        if (await Store.SetServerQuantityAsync(data.ProductId, data.NewQuantity, e.Timestamp).ConfigureAwait(false))
        {
            ProductChanged?.Invoke(this, data.ProductId);
        }
        else
        {
            // A product this terminal has not seen yet: fetch it with the next pull.
            Sync.RequestSync();
        }
    }

    private ValueTask OnSyncRequested(EventEnvelope<SyncRequestData>? e)
    {
        // Only requests addressed to this terminal (the room already filters; this guards a misrouted emit).
        if (e?.Data is { } data && Auth.Identity is { } identity
            && string.Equals(data.TerminalId, identity.TerminalId, StringComparison.OrdinalIgnoreCase))
        {
            Sync.RequestSync();
        }

        return ValueTask.CompletedTask;
    }

    private async ValueTask OnSystemNotificationAsync(EventEnvelope<NotificationDto>? e)
    {
        if (e?.Data is not { } data)
        {
            return;
        }

        await AddNotificationAsync(new PosNotification(e.Id, RealtimeEventNames.SystemNotification, data.Title ?? "Notification", data.Message ?? "",
            data.Severity ?? "info", _time.GetUtcNow().UtcDateTime, false)).ConfigureAwait(false);
    }

    private async ValueTask OnLowStockAsync(EventEnvelope<LowStockAlertData>? e)
    {
        if (e?.Data is not { } data)
        {
            return;
        }

        var message = string.Create(CultureInfo.InvariantCulture,
            $"{data.Name} ({data.Sku}) is at {data.Quantity}, threshold {data.LowStockThreshold}.");
        await AddNotificationAsync(new PosNotification(e.Id, RealtimeEventNames.LowStockAlert, "Low stock", message, "warning",
            _time.GetUtcNow().UtcDateTime, false)).ConfigureAwait(false);
    }

    private async Task AddNotificationAsync(PosNotification notification)
    {
        if (await Store.AddNotificationAsync(notification).ConfigureAwait(false))
        {
            NotificationReceived?.Invoke(this, notification);
        }
    }

    /// <summary>Recomputes <see cref="Status"/> from the socket, the sync service and the store; raises the event on change.</summary>
    private async Task RefreshStatusAsync()
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            return;
        }

        await _statusGate.WaitAsync().ConfigureAwait(false);
        try
        {
            var counts = await Store.GetCountsAsync().ConfigureAwait(false);
            var errors = new List<string>();
            if (Sync.LastError is { } error)
            {
                errors.Add(error);
            }

            if (counts.RejectedTransactions > 0)
            {
                foreach (var item in await Store.GetRejectedAsync().ConfigureAwait(false))
                {
                    errors.Add($"{item.ReceiptNumber}: {item.LastError}");
                }
            }

            var status = new SyncStatus(IsOnline, Sync.IsSyncing, Sync.LastSync, counts.PendingTransactions, counts.PendingProducts, errors);
            if (!status.Equals(Status))
            {
                Volatile.Write(ref _status, status);
                SyncStatusChanged?.Invoke(this, status);
            }
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(_logger, "status", ex);
        }
        finally
        {
            _statusGate.Release();
        }
    }
}
