namespace Bms.Web.Components.Models;

/// <summary>
/// The backend's business event envelope <c>{id, type, timestamp, data}</c>: <see cref="Id"/> is unique and
/// <see cref="Timestamp"/> is UTC (ISO 8601 on the wire).
/// </summary>
/// <typeparam name="T">The type of <see cref="Data"/>.</typeparam>
public sealed record EventEnvelope<T>
{
    /// <summary>Unique event id.</summary>
    public string Id { get; init; } = "";

    /// <summary>The event name, e.g. <c>inventory:updated</c>.</summary>
    public string Type { get; init; } = "";

    /// <summary>When the change committed (UTC).</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>The event's payload.</summary>
    public T? Data { get; init; }
}
