using Bms.Server.Auth;

namespace Bms.Server.Data;

/// <summary>
/// The stores whose data the current caller may see or change through <see cref="BmsDbContext"/>. The context applies
/// it as an EF Core global query filter to every store-owned entity (products, stock, stock movements, sales, low-stock
/// notifications), so a
/// service reads only what its caller may read without writing the check itself, and an entity outside the scope is
/// simply not found (404) for reads and updates alike.
/// <list type="bullet">
/// <item>An explicit <see cref="Use"/> or <see cref="UseAllStores"/> wins (code that runs outside an HTTP request).</item>
/// <item>Otherwise the signed-in caller of the current HTTP request: admins see every store, everyone else their
/// stores (the token's <c>store_id</c> claims).</item>
/// <item>Otherwise (no request, or an anonymous one) no store at all: the scope fails closed.</item>
/// </list>
/// Code that must look across stores on purpose calls <c>IgnoreQueryFilters()</c> and says why. Creating rows is not
/// filtered: a service checks the target store of a new row with <see cref="BmsPrincipal.CanAccessStore"/>.
/// Scoped (one per request, like the context); not thread-safe.
/// </summary>
internal sealed class StoreScope(IHttpContextAccessor? http = null)
{
    private static readonly int[] NoStores = [];
    private (bool All, int[] Ids)? chosen;

    /// <summary>True when the caller may see every store (an admin, or <see cref="UseAllStores"/>).</summary>
    public bool AllStores => Resolve().All;

    /// <summary>The stores the caller may see when <see cref="AllStores"/> is false (empty: none).</summary>
    public int[] StoreIds => Resolve().Ids;

    /// <summary>Scopes this unit of work to <paramref name="caller"/>'s stores (all of them for an admin).</summary>
    public void Use(BmsPrincipal caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        chosen = From(caller);
    }

    /// <summary>Lifts the scope for system work that must see every store (maintenance, seeding).</summary>
    public void UseAllStores() => chosen = (true, NoStores);

    private (bool All, int[] Ids) Resolve()
    {
        if (chosen is { } explicitScope)
        {
            return explicitScope;
        }

        var user = http?.HttpContext?.User;
        return user?.Identity?.IsAuthenticated == true && BmsPrincipal.FromClaims(user) is { } caller
            ? From(caller)
            : (false, NoStores);
    }

    private static (bool All, int[] Ids) From(BmsPrincipal caller) =>
        caller.IsAdmin ? (true, NoStores) : (false, caller.StoreIds.Order().ToArray());
}
