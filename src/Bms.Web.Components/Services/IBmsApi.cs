using Bms.Web.Components.Models;

namespace Bms.Web.Components.Services;

/// <summary>
/// The backend's REST API as the dashboard uses it, called with the signed-in user's token. Errors surface as
/// <see cref="HttpRequestException"/> (with the status code). Implementations are thread-safe.
/// </summary>
public interface IBmsApi
{
    /// <summary><c>GET /api/products</c>: the products the user may see, with stock.</summary>
    Task<IReadOnlyList<ProductInfo>> GetProductsAsync(CancellationToken cancellationToken = default);

    /// <summary><c>GET /api/transactions?limit=</c>: recent sales, newest first.</summary>
    Task<IReadOnlyList<TransactionInfo>> GetTransactionsAsync(int limit = 20, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>GET /api/notifications?limit=</c>: the user's notifications, newest first (system notices and their stores'
    /// low-stock alerts, not cleared by them), with their read state.
    /// </summary>
    Task<IReadOnlyList<NotificationInfo>> GetNotificationsAsync(int limit = 20, CancellationToken cancellationToken = default);

    /// <summary><c>POST /api/notifications/{id}/read</c>: marks one notification read for the user.</summary>
    Task MarkNotificationReadAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary><c>POST /api/notifications/read-all</c>: marks every notification read for the user.</summary>
    Task MarkAllNotificationsReadAsync(CancellationToken cancellationToken = default);

    /// <summary><c>POST /api/notifications/clear</c>: empties the user's list (lasting; later notifications still arrive).</summary>
    Task ClearNotificationsAsync(CancellationToken cancellationToken = default);

    /// <summary><c>POST /api/notifications</c> (admins): sends a system notification to everyone.</summary>
    Task<NotificationInfo?> SendNotificationAsync(string title, string message, string severity, CancellationToken cancellationToken = default);
}
