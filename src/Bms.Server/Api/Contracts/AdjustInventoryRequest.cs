namespace Bms.Server.Api.Contracts;

/// <summary>Body of <c>POST /api/inventory/adjust</c>.</summary>
internal sealed record AdjustInventoryRequest(int? ProductId, int? Delta, string? Reason);
