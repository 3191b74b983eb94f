using Bms.Server.Auth;
using Bms.Server.Services;

namespace Bms.Server.Api;

/// <summary>
/// <c>/api/transactions</c>: record a sale (201; a repeated idempotency key answers 200 with the first sale and header
/// <c>Idempotent-Replayed: true</c>) and list recent sales. Roles admin, manager, cashier, pos.
/// </summary>
internal static class TransactionEndpoints
{
    public static void MapTransactionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/transactions").WithTags("Transactions").RequireAuthorization(Policies.Seller);
        group.MapGet("/", (int? storeId, int? limit, HttpContext context, SaleService sales, CancellationToken ct) =>
            sales.ListAsync(context.GetBmsPrincipal(), storeId, limit ?? 50, ct));
        group.MapPost("/", async Task<IResult> (CreateTransactionRequest request, HttpContext context, SaleService sales, CancellationToken ct) =>
        {
            var draft = SaleService.Validate(request);
            var outcome = await sales.CreateAsync(context.GetBmsPrincipal(), draft, ct);
            if (outcome.Duplicate)
            {
                context.Response.Headers["Idempotent-Replayed"] = "true";
                return TypedResults.Ok(outcome.Transaction);
            }

            return TypedResults.Created($"/api/transactions/{outcome.Transaction.Id}", outcome.Transaction);
        }).Produces<TransactionDto>(StatusCodes.Status201Created).Produces<TransactionDto>();
    }
}
