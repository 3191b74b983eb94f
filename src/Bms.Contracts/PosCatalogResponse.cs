namespace Bms.Contracts;

/// <summary>
/// Answer of <c>GET /api/pos/catalog?since=</c>: the products (with stock) of the caller's store changed after
/// <c>since</c> (all when absent; <see cref="Full"/> says which), and <see cref="ServerTime"/> to pass as the next
/// <c>since</c>.
/// </summary>
public sealed record PosCatalogResponse(IReadOnlyList<ProductDto> Products, DateTime ServerTime, bool Full);
