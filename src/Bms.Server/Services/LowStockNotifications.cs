using Bms.Server.Data;
using Bms.Server.Domain;
using Bms.Server.Events;

namespace Bms.Server.Services;

/// <summary>
/// Raises a <c>low-stock:alert</c> and keeps it as a notification of its store with the same id, in the caller's
/// unit of work: the alert is stored in the same commit as the stock change, so a user who is offline finds it in
/// <c>GET /api/notifications</c> later, and marking the live event read marks the stored row.
/// </summary>
internal static class LowStockNotifications
{
    /// <summary>Creates the event (not yet published) and adds its notification to <paramref name="db"/> (not yet saved).</summary>
    public static DomainEvent Raise(BmsDbContext db, DomainEventPublisher events, LowStockAlertData alert)
    {
        var raised = events.Create(RealtimeEventNames.LowStockAlert, alert, EventRoute.Store(alert.StoreId));
        var outOfStock = alert.Quantity <= 0;
        db.Notifications.Add(new Notification
        {
            Id = Guid.Parse(raised.Envelope.Id),
            Kind = NotificationKind.LowStock,
            StoreId = alert.StoreId,
            ProductId = alert.ProductId,
            Title = $"{(outOfStock ? "Out of stock" : "Low stock")}: {alert.Name}",
            Message = $"{alert.Sku} has {alert.Quantity} left (threshold {alert.LowStockThreshold}).",
            Severity = outOfStock ? NotificationSeverity.Error : NotificationSeverity.Warning,
            CreatedAt = raised.Envelope.Timestamp,
        });
        return raised;
    }
}
