namespace Bms.Server.Events;

/// <summary>
/// What every business event looks like on the wire: <c>{id, type, timestamp, data}</c>. <see cref="Id"/> is unique
/// (UUIDv7, so ids sort by time); <see cref="Timestamp"/> is UTC and serialises as ISO 8601 with <c>Z</c>.
/// </summary>
internal sealed record EventEnvelope(string Id, string Type, DateTime Timestamp, object Data);
