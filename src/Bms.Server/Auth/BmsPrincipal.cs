using System.Globalization;
using System.Security.Claims;
using Bms.Server.Domain;

namespace Bms.Server.Auth;

/// <summary>The signed-in caller as our code sees it: a user or a terminal, with roles and stores.</summary>
internal sealed record BmsPrincipal(
    string Kind,
    string Id,
    string Name,
    IReadOnlySet<string> Roles,
    IReadOnlySet<int> StoreIds,
    DateTime? ExpiresAt)
{
    /// <summary>The user's security stamp the token carries (claim <c>sstamp</c>); null for terminals and old tokens.</summary>
    public string? SecurityStamp { get; init; }

    public bool IsTerminal => Kind == BmsClaimTypes.KindTerminal;

    public bool IsAdmin => Roles.Contains(Domain.Roles.Admin);

    /// <summary>The numeric user id, or null for a terminal.</summary>
    public int? UserId => IsTerminal ? null : int.Parse(Id, CultureInfo.InvariantCulture);

    /// <summary>The terminal id, or null for a user.</summary>
    public string? TerminalId => IsTerminal ? Id : null;

    /// <summary>Id written into audit columns: the user id or the terminal id.</summary>
    public string Actor => IsTerminal ? Id : $"user:{Id}";

    public bool IsInRole(string role) => Roles.Contains(role);

    /// <summary>Admins may act on any store; everyone else only on their stores.</summary>
    public bool CanAccessStore(int storeId) => IsAdmin || StoreIds.Contains(storeId);

    /// <summary>Managers and admins may change the catalogue and stock.</summary>
    public bool IsManagerOrAdmin => IsAdmin || Roles.Contains(Domain.Roles.Manager);

    /// <summary>Reads a principal from validated claims; null when required claims are missing.</summary>
    public static BmsPrincipal? FromClaims(ClaimsPrincipal principal)
    {
        var id = principal.FindFirst(BmsClaimTypes.Subject)?.Value;
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        var kind = principal.FindFirst(BmsClaimTypes.Kind)?.Value ?? BmsClaimTypes.KindUser;
        if (kind == BmsClaimTypes.KindUser && !int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return null;
        }

        var roles = principal.FindAll(BmsClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var stores = new HashSet<int>();
        foreach (var claim in principal.FindAll(BmsClaimTypes.StoreId))
        {
            if (int.TryParse(claim.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var storeId))
            {
                stores.Add(storeId);
            }
        }

        DateTime? expires = null;
        if (long.TryParse(principal.FindFirst("exp")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var exp))
        {
            expires = DateTimeOffset.FromUnixTimeSeconds(exp).UtcDateTime;
        }

        var name = principal.FindFirst(BmsClaimTypes.Name)?.Value ?? id;
        return new BmsPrincipal(kind, id, name, roles, stores, expires)
        {
            SecurityStamp = principal.FindFirst(BmsClaimTypes.SecurityStamp)?.Value,
        };
    }
}
