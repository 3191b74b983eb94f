namespace Bms.Realtime.Server.Namespaces;

/// <summary>Why a client event was refused before any handler saw it. A closed set: safe as a metric tag.</summary>
public enum EventRefusalReason
{
    /// <summary>The name is longer than <see cref="Hosting.RealtimeServerOptions.MaxEventNameLength"/> (wire: <c>name_too_long</c>).</summary>
    NameTooLong = 1,

    /// <summary>The name has characters the rules do not allow (wire: <c>name_not_allowed</c>).</summary>
    NameNotAllowed = 2,
}

/// <summary>Wire strings of <see cref="EventRefusalReason"/>.</summary>
public static class EventRefusalReasonExtensions
{
    /// <summary>The reason as a fixed lower-case string (<c>name_too_long</c>, <c>name_not_allowed</c>).</summary>
    public static string ToWireString(this EventRefusalReason reason) => reason switch
    {
        EventRefusalReason.NameTooLong => "name_too_long",
        _ => "name_not_allowed",
    };
}
