using System.Globalization;
using Bms.Server.Auth;
using Bms.Server.Realtime;

namespace Bms.Server.RealtimeAuthorization;

/// <summary>
/// Rules for <c>room:join</c> / <c>room:leave</c>: <c>store:{id}</c> for members of that store (admins: any);
/// <c>terminal:{id}</c> for that terminal and admins; <c>product:{id}</c> for anyone signed in. Any other name is
/// <c>invalid_room</c> (the automatic <c>user:</c> and <c>role:</c> rooms cannot be joined or left by clients).
/// </summary>
internal static class RoomAuthorizer
{
    public const string Forbidden = "forbidden";
    public const string InvalidRoom = "invalid_room";

    /// <summary>Returns null when allowed, else the error code.</summary>
    public static string? Check(BmsPrincipal principal, string? room)
    {
        if (string.IsNullOrEmpty(room) || room.Length > 100)
        {
            return InvalidRoom;
        }

        var colon = room.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == room.Length - 1)
        {
            return InvalidRoom;
        }

        var kind = room[..colon];
        var id = room[(colon + 1)..];
        switch (kind)
        {
            case "store":
                return TryPositive(id, out var storeId) ? (principal.CanAccessStore(storeId) ? null : Forbidden) : InvalidRoom;
            case "product":
                return TryPositive(id, out _) ? null : InvalidRoom;
            case "terminal":
                if (!IsTerminalId(id))
                {
                    return InvalidRoom;
                }

                return principal.IsAdmin || (principal.IsTerminal && principal.Id == id) ? null : Forbidden;
            default:
                return InvalidRoom;
        }
    }

    private static bool TryPositive(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;

    private static bool IsTerminalId(string text) =>
        text.Length <= 64 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
