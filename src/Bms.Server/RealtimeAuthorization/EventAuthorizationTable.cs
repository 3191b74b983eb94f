using Bms.Server.Domain;
using Bms.Server.Realtime;

namespace Bms.Server.RealtimeAuthorization;

/// <summary>
/// Which client → server events each namespace accepts from which roles. Anything not listed is refused with an
/// error ack (<c>{ok:false, error:"forbidden"}</c>) and counted in <c>bms.realtime.events.refused</c>.
/// </summary>
internal static class EventAuthorizationTable
{
    private static readonly string[] Everyone = [Roles.Admin, Roles.Manager, Roles.Cashier, Roles.Pos];

    private static readonly Dictionary<string, Dictionary<string, string[]>> Table = new(StringComparer.Ordinal)
    {
        [RealtimeNamespaces.Main] = new(StringComparer.Ordinal)
        {
            [ClientEvents.RoomJoin] = Everyone,
            [ClientEvents.RoomLeave] = Everyone,
            [ClientEvents.Ping] = Everyone,
            [ClientEvents.AuthRefresh] = Everyone,
            [ClientEvents.Subscribe] = Everyone,
            [ClientEvents.Unsubscribe] = Everyone,
        },
        [RealtimeNamespaces.Admin] = new(StringComparer.Ordinal)
        {
            [ClientEvents.RoomJoin] = [Roles.Admin],
            [ClientEvents.RoomLeave] = [Roles.Admin],
            [ClientEvents.Ping] = [Roles.Admin],
            [ClientEvents.AuthRefresh] = [Roles.Admin],
            [ClientEvents.Subscribe] = [Roles.Admin],
            [ClientEvents.Unsubscribe] = [Roles.Admin],
            [ClientEvents.NotificationSend] = [Roles.Admin],
            [ClientEvents.EventFlowSubscribe] = [Roles.Admin],
            [ClientEvents.EventFlowUnsubscribe] = [Roles.Admin],
        },
        [RealtimeNamespaces.Pos] = new(StringComparer.Ordinal)
        {
            [ClientEvents.RoomJoin] = [Roles.Cashier, Roles.Pos],
            [ClientEvents.RoomLeave] = [Roles.Cashier, Roles.Pos],
            [ClientEvents.Ping] = [Roles.Cashier, Roles.Pos],
            [ClientEvents.AuthRefresh] = [Roles.Cashier, Roles.Pos],
            [ClientEvents.Subscribe] = [Roles.Cashier, Roles.Pos],
            [ClientEvents.Unsubscribe] = [Roles.Cashier, Roles.Pos],
            [ClientEvents.SyncStatus] = [Roles.Pos, Roles.Cashier],
        },
    };

    /// <summary>True when a principal holding any of <paramref name="roles"/> may send <paramref name="eventName"/>.</summary>
    public static bool IsAllowed(string @namespace, string eventName, IReadOnlySet<string> roles) =>
        Table.TryGetValue(@namespace, out var events)
        && events.TryGetValue(eventName, out var allowed)
        && allowed.Any(roles.Contains);

    /// <summary>The events a namespace knows (for documentation and tests).</summary>
    public static IReadOnlyCollection<string> EventsOf(string @namespace) =>
        Table.TryGetValue(@namespace, out var events) ? events.Keys : [];
}
