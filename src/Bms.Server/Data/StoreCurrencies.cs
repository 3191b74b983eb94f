using Bms.Server.Domain;
using Microsoft.EntityFrameworkCore;

namespace Bms.Server.Data;

/// <summary>The stores' currencies, for the contracts that carry amounts (products, sales).</summary>
internal static class StoreCurrencies
{
    /// <summary>Every store's ISO 4217 currency code by store id (stores are few; not store-scoped: a code is no secret).</summary>
    public static Task<Dictionary<int, string>> StoreCurrenciesAsync(this BmsDbContext db, CancellationToken cancellationToken) =>
        db.Stores.AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Currency, cancellationToken);

    /// <summary>One store's currency code (<see cref="Store.DefaultCurrency"/> when the store is unknown).</summary>
    public static async Task<string> StoreCurrencyAsync(this BmsDbContext db, int storeId, CancellationToken cancellationToken) =>
        await db.Stores.AsNoTracking().Where(s => s.Id == storeId).Select(s => s.Currency).FirstOrDefaultAsync(cancellationToken)
        ?? Store.DefaultCurrency;

    /// <summary>The code of <paramref name="storeId"/> in <paramref name="currencies"/>, else the default.</summary>
    public static string Of(this IReadOnlyDictionary<int, string> currencies, int storeId) =>
        currencies.GetValueOrDefault(storeId) ?? Store.DefaultCurrency;
}
