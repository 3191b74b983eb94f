using System.Globalization;

namespace Bms.Contracts;

/// <summary>
/// Builds the room names the backend routes events to: <c>store:{id}</c>, <c>user:{id}</c>, <c>terminal:{id}</c>.
/// </summary>
/// <example><code>await socket.JoinRoomAsync(Rooms.Store(1)); // "store:1"</code></example>
public static class Rooms
{
    /// <summary>Prefix of store rooms.</summary>
    public const string StorePrefix = "store:";

    /// <summary>Prefix of user rooms (every user socket is in its own).</summary>
    public const string UserPrefix = "user:";

    /// <summary>Prefix of terminal rooms (every terminal socket is in its own).</summary>
    public const string TerminalPrefix = "terminal:";

    /// <summary>The room of store <paramref name="storeId"/>, e.g. <c>store:1</c>.</summary>
    public static string Store(int storeId) => StorePrefix + storeId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The room of user <paramref name="userId"/>, e.g. <c>user:7</c>.</summary>
    public static string User(int userId) => UserPrefix + userId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The room of terminal <paramref name="terminalId"/>, e.g. <c>terminal:POS-001</c>.</summary>
    public static string Terminal(string terminalId)
    {
        ArgumentException.ThrowIfNullOrEmpty(terminalId);
        return TerminalPrefix + terminalId;
    }
}
