using Bms.Server.Auth;
using Bms.Server.Services;

namespace Bms.Server.Api;

/// <summary><c>/api/products</c>: list and read (signed in), create and update (manager, admin).</summary>
internal static class ProductEndpoints
{
    public static void MapProductEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/products").WithTags("Products").RequireAuthorization(Policies.SignedIn);
        group.MapGet("/", (int? storeId, HttpContext context, ProductService products, CancellationToken ct) =>
            products.ListAsync(context.GetBmsPrincipal(), storeId, ct));
        group.MapGet("/{id:int}", (int id, HttpContext context, ProductService products, CancellationToken ct) =>
            products.GetAsync(context.GetBmsPrincipal(), id, ct));
        group.MapPost("/", async (CreateProductRequest request, HttpContext context, ProductService products, CancellationToken ct) =>
        {
            var created = await products.CreateAsync(context.GetBmsPrincipal(), request, ct);
            return TypedResults.Created($"/api/products/{created.Id}", created);
        }).RequireAuthorization(Policies.Manager);
        group.MapPut("/{id:int}", (int id, UpdateProductRequest request, HttpContext context, ProductService products, CancellationToken ct) =>
            products.UpdateAsync(context.GetBmsPrincipal(), id, request, ct)).RequireAuthorization(Policies.Manager);
    }
}
