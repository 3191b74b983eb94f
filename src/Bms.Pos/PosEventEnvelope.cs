namespace Bms.Pos;

/// <summary>The backend's event envelope <c>{id, type, timestamp, data}</c>.</summary>
/// <typeparam name="T">The type of <see cref="Data"/>.</typeparam>
/// <param name="Id">Unique event id.</param>
/// <param name="Type">The event name, e.g. <c>inventory:updated</c>.</param>
/// <param name="Timestamp">When the change committed (UTC).</param>
/// <param name="Data">The payload.</param>
public sealed record PosEventEnvelope<T>(string Id, string Type, DateTime Timestamp, T? Data);
