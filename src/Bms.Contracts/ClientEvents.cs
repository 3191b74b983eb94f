namespace Bms.Contracts;

/// <summary>Client → server events the backend handles; every one is answered by an acknowledgement.</summary>
public static class ClientEvents
{
    /// <summary><c>room:join("store:1", ack)</c> → <see cref="AckResponse"/>: <c>{ok:true}</c> or <c>{ok:false, error:"forbidden"|"invalid_room"}</c>.</summary>
    public const string RoomJoin = "room:join";

    /// <summary><c>room:leave("store:1", ack)</c> → same acks as join.</summary>
    public const string RoomLeave = "room:leave";

    /// <summary><c>ping(ack)</c> → <see cref="PingAck"/> <c>{ok:true, time}</c>; for latency measurements.</summary>
    public const string Ping = "ping";

    /// <summary><c>sync:status(<see cref="SyncStatusReport"/>, ack)</c> from a terminal on <c>/pos</c>; re-emitted as the <c>sync:status</c> business event.</summary>
    public const string SyncStatus = "sync:status";

    /// <summary><c>notification:send(<see cref="SendNotificationRequest"/>, ack)</c> on <c>/admin</c> → <see cref="NotificationSendAck"/>.</summary>
    public const string NotificationSend = "notification:send";

    /// <summary><c>auth:refresh({token}, ack)</c> → <see cref="AuthRefreshAck"/>: replaces the socket's token (same principal) and its expiry.</summary>
    public const string AuthRefresh = "auth:refresh";

    /// <summary><c>subscribe(<see cref="SubscribeRequest"/> {event, filter}, ack)</c> → <see cref="SubscribeAck"/> <c>{ok:true, id}</c> or <c>{ok:false, error:"invalid_filter", detail}</c>: narrows what the socket receives of one event type.</summary>
    public const string Subscribe = "subscribe";

    /// <summary><c>unsubscribe(<see cref="UnsubscribeRequest"/> {id}, ack)</c> → <see cref="UnsubscribeAck"/> <c>{ok:true}</c> or <c>{ok:false, error:"not_found"}</c>.</summary>
    public const string Unsubscribe = "unsubscribe";
}
