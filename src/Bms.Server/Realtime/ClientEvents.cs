namespace Bms.Server.Realtime;

/// <summary>Client → server events the backend handles.</summary>
internal static class ClientEvents
{
    /// <summary><c>room:join("store:1", ack)</c> → <c>{ok:true}</c> or <c>{ok:false, error:"forbidden"|"invalid_room"}</c>.</summary>
    public const string RoomJoin = "room:join";

    /// <summary><c>room:leave("store:1", ack)</c> → same acks as join.</summary>
    public const string RoomLeave = "room:leave";

    /// <summary><c>ping(ack)</c> → <c>{ok:true, time}</c>; for latency measurements.</summary>
    public const string Ping = "ping";

    /// <summary><c>sync:status({...}, ack)</c> from a terminal; re-emitted as the <c>sync:status</c> business event.</summary>
    public const string SyncStatus = "sync:status";

    /// <summary><c>notification:send({title, message, severity}, ack)</c> on <c>/admin</c>.</summary>
    public const string NotificationSend = "notification:send";

    /// <summary><c>auth:refresh({token}, ack)</c>: replaces the socket's token (same principal) and its expiry.</summary>
    public const string AuthRefresh = "auth:refresh";

    /// <summary><c>subscribe({event, filter}, ack)</c> → <c>{ok:true, id}</c>; see <see cref="Routing.EventSubscriptions"/>.</summary>
    public const string Subscribe = Routing.EventSubscriptions.SubscribeEvent;

    /// <summary><c>unsubscribe({id}, ack)</c> → <c>{ok:true}</c> or <c>{ok:false, error:"not_found"}</c>.</summary>
    public const string Unsubscribe = Routing.EventSubscriptions.UnsubscribeEvent;

    /// <summary><c>event-flow:subscribe({payloads?}, ack)</c> on <c>/admin</c>: watch the live event flow; see <see cref="EventFlow.EventFlowMonitor"/>.</summary>
    public const string EventFlowSubscribe = EventFlow.EventFlowMonitor.SubscribeEvent;

    /// <summary><c>event-flow:unsubscribe(ack)</c> on <c>/admin</c> → <c>{ok:true}</c>.</summary>
    public const string EventFlowUnsubscribe = EventFlow.EventFlowMonitor.UnsubscribeEvent;

    /// <summary>The tag value for client events the backend does not know (any name a client chose).</summary>
    public const string Other = "other";

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        RoomJoin, RoomLeave, Ping, SyncStatus, NotificationSend, AuthRefresh, Subscribe, Unsubscribe,
        EventFlowSubscribe, EventFlowUnsubscribe,
    };

    /// <summary>
    /// <paramref name="name"/> when it is one of the events above, else <see cref="Other"/>: a metric tag or log field
    /// from a fixed set, never a string the client chose.
    /// </summary>
    public static string Tag(string name) => Known.Contains(name) ? name : Other;
}
