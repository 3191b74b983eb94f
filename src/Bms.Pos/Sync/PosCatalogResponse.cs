using Bms.Pos.Storage;

namespace Bms.Pos.Sync;

/// <summary>The body of <c>GET /api/pos/catalog?since=</c>: changed products, the next cursor and whether it is the full list.</summary>
public sealed record PosCatalogResponse(IReadOnlyList<ServerProduct> Products, DateTime ServerTime, bool Full);
