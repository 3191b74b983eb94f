namespace Bms.Contracts;

/// <summary>Body of <c>POST /api/inventory/adjust</c>.</summary>
public sealed record AdjustInventoryRequest(int? ProductId, int? Delta, string? Reason);
