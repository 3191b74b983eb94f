namespace Bms.Server.Realtime;

/// <summary>Metric tags and log fields for client events: a fixed set, never a string the client chose.</summary>
internal static class ClientEventTags
{
    /// <summary>The tag value for client events the backend does not know (any name a client chose).</summary>
    public const string Other = "other";

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        ClientEvents.RoomJoin, ClientEvents.RoomLeave, ClientEvents.Ping, ClientEvents.SyncStatus,
        ClientEvents.NotificationSend, ClientEvents.AuthRefresh, ClientEvents.Subscribe, ClientEvents.Unsubscribe,
    };

    /// <summary><paramref name="name"/> when it is one of <see cref="ClientEvents"/>, else <see cref="Other"/>.</summary>
    public static string Tag(string name) => Known.Contains(name) ? name : Other;
}
