namespace Bms.Contracts;

/// <summary>
/// A row of <c>GET /api/notifications</c>: a system notice or a low-stock alert of one of the caller's stores, with
/// the caller's own read state. The first five fields are those of <see cref="NotificationDto"/>.
/// </summary>
/// <param name="Id">The notification id (for a low-stock alert, also the id of its <c>low-stock:alert</c> event).</param>
/// <param name="Title">Short title.</param>
/// <param name="Message">The text.</param>
/// <param name="Severity"><c>info</c>, <c>success</c>, <c>warning</c> or <c>error</c>.</param>
/// <param name="CreatedAt">When it was sent (UTC).</param>
/// <param name="Kind"><c>system</c> or <c>low-stock</c>.</param>
/// <param name="StoreId">The store of a low-stock alert; null for a system notice.</param>
/// <param name="ProductId">The product of a low-stock alert.</param>
/// <param name="Read">True once the caller marked it read (always false for a terminal).</param>
public sealed record UserNotificationDto(
    Guid Id, string Title, string Message, string Severity, DateTime CreatedAt, string Kind, int? StoreId, int? ProductId, bool Read);
