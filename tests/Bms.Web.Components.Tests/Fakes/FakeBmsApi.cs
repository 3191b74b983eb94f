using Bms.Web.Components.Models;
using Bms.Web.Components.Services;

namespace Bms.Web.Components.Tests.Fakes;

/// <summary>An in-memory <see cref="IBmsApi"/>; tests change its lists and count the calls.</summary>
public sealed class FakeBmsApi : IBmsApi
{
    public List<ProductInfo> Products { get; set; } = [];

    public List<TransactionInfo> Transactions { get; set; } = [];

    public List<NotificationInfo> Notifications { get; set; } = [];

    public List<(string Title, string Message, string Severity)> Sent { get; } = [];

    public Exception? Failure { get; set; }

    public int ProductLoads { get; private set; }

    public Task<IReadOnlyList<ProductInfo>> GetProductsAsync(CancellationToken cancellationToken = default)
    {
        ProductLoads++;
        return Failure is { } failure ? Task.FromException<IReadOnlyList<ProductInfo>>(failure) : Task.FromResult<IReadOnlyList<ProductInfo>>([.. Products]);
    }

    /// <summary>When set, transaction loads wait for it (a slow first load).</summary>
    public TaskCompletionSource? TransactionsGate { get; set; }

    public async Task<IReadOnlyList<TransactionInfo>> GetTransactionsAsync(int limit = 20, CancellationToken cancellationToken = default)
    {
        if (TransactionsGate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        return [.. Transactions.Take(limit)];
    }

    public Task<IReadOnlyList<NotificationInfo>> GetNotificationsAsync(int limit = 20, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<NotificationInfo>>([.. Notifications.Take(limit)]);

    /// <summary>The notification calls in order: <c>read:{id}</c>, <c>read-all</c>, <c>clear</c>.</summary>
    public List<string> NotificationCalls { get; } = [];

    public Task MarkNotificationReadAsync(Guid id, CancellationToken cancellationToken = default)
    {
        NotificationCalls.Add($"read:{id}");
        Notifications = [.. Notifications.Select(n => n.Id == id ? n with { Read = true } : n)];
        return Task.CompletedTask;
    }

    public Task MarkAllNotificationsReadAsync(CancellationToken cancellationToken = default)
    {
        NotificationCalls.Add("read-all");
        Notifications = [.. Notifications.Select(n => n with { Read = true })];
        return Task.CompletedTask;
    }

    public Task ClearNotificationsAsync(CancellationToken cancellationToken = default)
    {
        NotificationCalls.Add("clear");
        Notifications = [];
        return Task.CompletedTask;
    }

    public Task<NotificationInfo?> SendNotificationAsync(string title, string message, string severity, CancellationToken cancellationToken = default)
    {
        Sent.Add((title, message, severity));
        return Task.FromResult<NotificationInfo?>(new NotificationInfo { Id = Guid.NewGuid(), Title = title, Message = message, Severity = severity });
    }

    public static ProductInfo Product(int id, string name, int quantity, int threshold = 5, decimal price = 9.99m) =>
        new() { Id = id, Sku = $"SKU-{id:000}", Name = name, Quantity = quantity, LowStockThreshold = threshold, Price = price, StoreId = 1 };
}
