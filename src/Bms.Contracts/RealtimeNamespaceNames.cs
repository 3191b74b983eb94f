namespace Bms.Contracts;

/// <summary>The three Socket.IO namespaces the backend serves (no others exist).</summary>
public static class RealtimeNamespaceNames
{
    /// <summary>Any signed-in user or terminal.</summary>
    public const string Main = "/main";

    /// <summary>Role admin only: receives every business event.</summary>
    public const string Admin = "/admin";

    /// <summary>Roles cashier and pos: the terminals.</summary>
    public const string Pos = "/pos";
}
