using static Bms.Contracts.RealtimeNamespaceNames;

namespace Bms.Contracts;

/// <summary>
/// Every event of the real-time contract with its namespaces, argument and acknowledgement types. Every business
/// event goes to all of <c>/admin</c>; store-routed events also to room <c>store:{id}</c> on <c>/main</c> and
/// <c>/pos</c>, user-routed events to room <c>user:{id}</c> on <c>/main</c>, and <c>system:notification</c> to every
/// socket of all three.
/// </summary>
public static class RealtimeEventCatalog
{
    private static readonly string[] StoreRouted = [Main, Admin, Pos];

    /// <summary>Server → client events, in a fixed order.</summary>
    public static IReadOnlyList<RealtimeEventDescriptor> ServerEvents { get; } =
    [
        Server(RealtimeEventNames.ProductUpdated, typeof(EventEnvelope<ProductUpdatedData>), StoreRouted),
        Server(RealtimeEventNames.InventoryUpdated, typeof(EventEnvelope<InventoryUpdatedData>), StoreRouted),
        Server(RealtimeEventNames.TransactionCreated, typeof(EventEnvelope<TransactionDto>), StoreRouted),
        Server(RealtimeEventNames.LowStockAlert, typeof(EventEnvelope<LowStockAlertData>), StoreRouted),
        Server(RealtimeEventNames.UserUpdated, typeof(EventEnvelope<UserDto>), [Main, Admin]),
        Server(RealtimeEventNames.SystemNotification, typeof(EventEnvelope<NotificationDto>), [Main, Admin, Pos]),
        Server(RealtimeEventNames.SyncStatus, typeof(EventEnvelope<SyncStatusData>), StoreRouted),
        Server(RealtimeEventNames.SyncRequest, typeof(EventEnvelope<SyncRequestData>), [Pos]),
    ];

    /// <summary>Client → server events, in a fixed order.</summary>
    public static IReadOnlyList<RealtimeEventDescriptor> ClientEvents { get; } =
    [
        new(Contracts.ClientEvents.RoomJoin, false, [Main, Admin, Pos], typeof(string), typeof(AckResponse)),
        new(Contracts.ClientEvents.RoomLeave, false, [Main, Admin, Pos], typeof(string), typeof(AckResponse)),
        new(Contracts.ClientEvents.Ping, false, [Main, Admin, Pos], null, typeof(PingAck)),
        new(Contracts.ClientEvents.AuthRefresh, false, [Main, Admin, Pos], typeof(AuthRefreshRequest), typeof(AuthRefreshAck)),
        new(Contracts.ClientEvents.SyncStatus, false, [Pos], typeof(SyncStatusReport), typeof(AckResponse)),
        new(Contracts.ClientEvents.NotificationSend, false, [Admin], typeof(SendNotificationRequest), typeof(NotificationSendAck)),
        new(Contracts.ClientEvents.Subscribe, false, [Main, Admin, Pos], typeof(SubscribeRequest), typeof(SubscribeAck)),
        new(Contracts.ClientEvents.Unsubscribe, false, [Main, Admin, Pos], typeof(UnsubscribeRequest), typeof(UnsubscribeAck)),
    ];

    /// <summary>The namespaces, in a fixed order.</summary>
    public static IReadOnlyList<string> Namespaces { get; } = [Main, Admin, Pos];

    private static RealtimeEventDescriptor Server(string name, Type envelope, string[] namespaces) =>
        new(name, true, namespaces, envelope, null);
}
