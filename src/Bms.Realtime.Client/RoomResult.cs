namespace Bms.Realtime.Client;

/// <summary>The server's answer to <c>room:join</c> / <c>room:leave</c>: <c>{ok: true}</c> or <c>{ok: false, error}</c>.</summary>
/// <param name="Ok">True when the server accepted.</param>
/// <param name="Error">The refusal reason (<c>forbidden</c>, <c>invalid_room</c>), when not ok.</param>
public sealed record RoomResult(bool Ok, string? Error = null);
