namespace Bms.Contracts;

/// <summary>
/// What every business event looks like on the wire: <c>{id, type, timestamp, data}</c>. <see cref="Id"/> is unique
/// (UUIDv7, so ids sort by time); <see cref="Timestamp"/> is UTC and serialises as ISO 8601 with <c>Z</c>.
/// </summary>
/// <typeparam name="T">The type of <see cref="Data"/> (see <see cref="RealtimeEventCatalog"/>).</typeparam>
/// <param name="Id">Unique event id.</param>
/// <param name="Type">The event name, one of <see cref="RealtimeEventNames"/>.</param>
/// <param name="Timestamp">When the change committed (UTC).</param>
/// <param name="Data">The payload.</param>
public sealed record EventEnvelope<T>(string Id, string Type, DateTime Timestamp, T Data);
