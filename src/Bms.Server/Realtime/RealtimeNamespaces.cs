using Bms.Server.Domain;

namespace Bms.Server.Realtime;

/// <summary>The three namespaces the backend serves (no others exist) and who may connect to each.</summary>
internal static class RealtimeNamespaces
{
    /// <summary>Any signed-in user or terminal.</summary>
    public const string Main = RealtimeNamespaceNames.Main;

    /// <summary>Role admin only.</summary>
    public const string Admin = RealtimeNamespaceNames.Admin;

    /// <summary>Roles cashier and pos.</summary>
    public const string Pos = RealtimeNamespaceNames.Pos;

    public static readonly IReadOnlyList<string> All = [Main, Admin, Pos];

    /// <summary>The tag value for any other namespace name.</summary>
    public const string Other = "other";

    /// <summary><paramref name="name"/> when it is one of the backend's namespaces, else <see cref="Other"/> (for metric tags).</summary>
    public static string Tag(string name) => name switch
    {
        Main or Admin or Pos => name,
        _ => Other,
    };

    /// <summary>Whether a principal with <paramref name="roles"/> may connect to <paramref name="name"/>.</summary>
    public static bool MayConnect(string name, IReadOnlySet<string> roles) => name switch
    {
        Main => roles.Count > 0,
        Admin => roles.Contains(Roles.Admin),
        Pos => roles.Contains(Roles.Cashier) || roles.Contains(Roles.Pos),
        _ => false,
    };
}
