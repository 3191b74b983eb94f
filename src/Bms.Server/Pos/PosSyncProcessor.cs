using System.Text;
using System.Text.Json;
using Bms.Server.Api;
using Bms.Server.Auth;
using Bms.Server.Data;
using Bms.Server.Events;
using Bms.Server.Services;
using Microsoft.EntityFrameworkCore;

namespace Bms.Server.Pos;

/// <summary>
/// Applies a POS sync batch item by item through <see cref="SaleService"/> (one committed transaction per sale, the
/// shared idempotency scope <see cref="SaleService.IdempotencyScope"/>, negative stock allowed down to
/// <see cref="PosSyncOptions.NegativeStockAllowance"/> because an offline sale already happened). A bad item, including
/// one whose numbers are out of range, is answered <c>rejected</c> with a reason and never blocks the others; only an
/// infrastructure failure fails the request (500) so the terminal retries the batch and gets <c>duplicate</c> for what
/// was applied. Per request; not thread-safe.
/// </summary>
internal sealed partial class PosSyncProcessor(
    BmsDbContext db, SaleService sales, DomainEventPublisher events, PosSyncOptions options, TimeProvider time, ILogger logger)
{
    public async Task<PosSyncResponse> ApplyAsync(BmsPrincipal caller, JsonElement body, CancellationToken cancellationToken)
    {
        if (body.ValueKind != JsonValueKind.Object
            || !body.TryGetProperty("transactions", out var items)
            || items.ValueKind != JsonValueKind.Array)
        {
            throw ApiException.Validation("transactions", "The transactions field must be an array.");
        }

        if (items.GetArrayLength() > PosSyncLimits.MaxItems)
        {
            throw ApiException.Validation("transactions", $"At most {PosSyncLimits.MaxItems} transactions per batch are allowed.");
        }

        var results = new List<PosSyncItemResult>(items.GetArrayLength());
        var negative = new List<PosStockLevel>();
        foreach (var item in items.EnumerateArray())
        {
            var result = await ApplyItemAsync(caller, item, cancellationToken);
            results.Add(result);
            if (result.NegativeStock is { } shortfall)
            {
                negative.AddRange(shortfall);
            }
        }

        var accepted = results.Count(r => r.Status == "accepted");
        var duplicates = results.Count(r => r.Status == "duplicate");
        var rejected = results.Count(r => r.Status == "rejected");
        Log.BatchApplied(logger, caller.Actor, results.Count, accepted, duplicates, rejected);
        if (results.Count > 0 && caller.StoreIds.Count > 0)
        {
            // Sales are committed by now; admins and the store room learn what this terminal's batch did.
            var storeId = caller.StoreIds.Min();
            await events.PublishAsync(RealtimeEventNames.SyncStatus, new
            {
                terminalId = caller.TerminalId,
                storeId,
                source = "sync",
                accepted,
                duplicates,
                rejected,
                negativeStock = negative,
                reportedBy = caller.Actor,
                reportedAt = time.GetUtcNow().UtcDateTime,
            }, EventRoute.Store(storeId), cancellationToken);
        }

        return new PosSyncResponse(results, accepted, duplicates, rejected, time.GetUtcNow().UtcDateTime);
    }

    private async Task<PosSyncItemResult> ApplyItemAsync(BmsPrincipal caller, JsonElement item, CancellationToken cancellationToken)
    {
        var rawId = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var idElement)
            && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
        if (Encoding.UTF8.GetByteCount(item.GetRawText()) > PosSyncLimits.MaxItemBytes)
        {
            return Rejected(rawId, "oversized", $"A transaction may be at most {PosSyncLimits.MaxItemBytes} bytes of JSON.");
        }

        PosSyncItemRequest? request;
        try
        {
            request = item.Deserialize<PosSyncItemRequest>(JsonSerializerOptions.Web);
        }
        catch (JsonException ex)
        {
            return Rejected(rawId, "malformed", $"The transaction is not valid: {ex.Message}");
        }

        if (request is null)
        {
            return Rejected(rawId, "malformed", "The transaction must be a JSON object.");
        }

        if (!Guid.TryParse(request.Id, out var id) || id == Guid.Empty)
        {
            return Rejected(rawId, "invalid_id", "The id field must be a non-empty UUID.");
        }

        var storeId = request.StoreId ?? (caller.StoreIds.Count == 1 ? caller.StoreIds.First() : null);
        var now = time.GetUtcNow().UtcDateTime;
        var createdAt = request.CreatedAt is { } at && at.ToUniversalTime() <= now + PosSyncLimits.MaxClockSkew
            ? at.ToUniversalTime()
            : now;
        try
        {
            var draft = SaleService.Validate(new CreateTransactionRequest(storeId, request.Lines, id.ToString())) with
            {
                TransactionId = id,
                CreatedAt = createdAt,
                NegativeStockAllowance = options.NegativeStockAllowance,
            };
            var outcome = await sales.CreateAsync(caller, draft, cancellationToken);
            var productIds = outcome.Transaction.Lines.Select(l => l.ProductId).Distinct().ToArray();
            var stock = await db.Products.AsNoTracking()
                .Where(p => productIds.Contains(p.Id) && p.Inventory != null)
                .OrderBy(p => p.Id)
                .Select(p => new PosStockLevel(p.Id, p.Sku, p.Inventory!.Quantity))
                .ToListAsync(cancellationToken);
            if (outcome.Duplicate)
            {
                return new PosSyncItemResult(request.Id, "duplicate", outcome.Transaction.Id, Stock: stock);
            }

            var shortfall = stock.Where(s => s.Quantity < 0).ToList();
            foreach (var s in shortfall)
            {
                Log.NegativeStock(logger, s.ProductId, s.Sku, s.Quantity, caller.Actor);
            }

            return new PosSyncItemResult(request.Id, "accepted", outcome.Transaction.Id, NegativeStock: shortfall.Count > 0 ? shortfall : null, Stock: stock);
        }
        catch (ApiException ex)
        {
            return new PosSyncItemResult(request.Id, "rejected", Reason: ex.Code ?? "rejected", Detail: ex.Detail ?? ex.Title, Errors: ex.Errors);
        }
        catch (OverflowException)
        {
            // Checked arithmetic caught a value the limits above should already refuse: this item alone is rejected.
            Log.OutOfRange(logger, request.Id, caller.Actor);
            return Rejected(request.Id, "out_of_range", "A quantity or amount of this sale is out of range.");
        }
    }

    private static PosSyncItemResult Rejected(string? id, string reason, string detail) => new(id, "rejected", Reason: reason, Detail: detail);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "POS sync from {Actor}: {Count} items, {Accepted} accepted, {Duplicates} duplicates, {Rejected} rejected")]
        public static partial void BatchApplied(ILogger logger, string actor, int count, int accepted, int duplicates, int rejected);

        [LoggerMessage(2, LogLevel.Warning, "POS sync left product {ProductId} ({Sku}) at {Quantity} (sale by {Actor})")]
        public static partial void NegativeStock(ILogger logger, int productId, string sku, int quantity, string actor);

        [LoggerMessage(3, LogLevel.Warning, "POS sync item {Id} from {Actor} rejected: a value is out of range")]
        public static partial void OutOfRange(ILogger logger, string? id, string actor);
    }
}
