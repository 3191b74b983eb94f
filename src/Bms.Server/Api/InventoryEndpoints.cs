using Bms.Server.Auth;
using Bms.Server.Services;

namespace Bms.Server.Api;

/// <summary><c>/api/inventory</c>: list (signed in) and adjust with a reason (manager, admin).</summary>
internal static class InventoryEndpoints
{
    public static void MapInventoryEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/inventory").WithTags("Inventory").RequireAuthorization(Policies.SignedIn);
        group.MapGet("/", (int? storeId, HttpContext context, InventoryService inventory, CancellationToken ct) =>
            inventory.ListAsync(context.GetBmsPrincipal(), storeId, ct));
        group.MapPost("/adjust", (AdjustInventoryRequest request, HttpContext context, InventoryService inventory, CancellationToken ct) =>
            inventory.AdjustAsync(context.GetBmsPrincipal(), request, ct)).RequireAuthorization(Policies.Manager);
    }
}
