using Bms.Server.Domain;

namespace Bms.Server.Services;

/// <summary>Entity → contract conversions shared by the API and the events.</summary>
internal static class Mapping
{
    public static ProductDto ToDto(this Product p) =>
        new(p.Id, p.Sku, p.Name, p.Price, p.Inventory?.Quantity ?? 0, p.Inventory?.LowStockThreshold ?? 0, p.StoreId,
            p.UpdatedAt);

    public static TransactionDto ToDto(this SalesTransaction t, string? userName = null) =>
        new(t.Id, t.StoreId, t.Total,
            t.Lines.OrderBy(l => l.Id).Select(l => new TransactionLineDto(l.ProductId, l.Sku, l.Name, l.Quantity, l.UnitPrice, l.LineTotal)).ToList(),
            t.CreatedAt, t.IdempotencyKey, t.UserId, t.TerminalId, t.UserId is null ? null : userName);

    public static UserDto ToDto(this User u) =>
        new(u.Id, u.Username, u.DisplayName, u.IsActive, u.Roles.Select(r => r.Role).Order(StringComparer.Ordinal).ToList(),
            u.Stores.Select(s => s.StoreId).Order().ToList(), u.UpdatedAt);

    public static NotificationDto ToDto(this Notification n) => new(n.Id, n.Title, n.Message, n.Severity, n.CreatedAt);
}
