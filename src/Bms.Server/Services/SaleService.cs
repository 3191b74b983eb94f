using Bms.Server.Api;
using Bms.Server.Auth;
using Bms.Server.Data;
using Bms.Server.Domain;
using Bms.Server.Events;
using Bms.Server.Cluster;
using Bms.Server.Data.Postgres;
using Bms.Server.Observability;
using Bms.Server.Realtime;
using Microsoft.EntityFrameworkCore;

namespace Bms.Server.Services;

/// <summary>
/// Records sales: one atomic <c>SaveChanges</c> writes the transaction, its lines, the stock changes, the movements and
/// the processed idempotency key; events follow only after it committed. Only the caller's stores are visible (the
/// context's <see cref="StoreScope"/> filter); the store of a new sale is checked here. Scoped (one per request).
/// </summary>
internal sealed class SaleService(BmsDbContext db, DomainEventPublisher events, TimeProvider time, SaleIdempotencyGate idempotency)
{
    /// <summary>Idempotency scope used for sales (REST and POS sync share it, so a sale is never applied twice).</summary>
    public const string IdempotencyScope = "transaction";

    private const int MaxAttempts = 10;

    /// <summary>Checks the shape of a sale request; throws a 400 validation problem.</summary>
    public static SaleDraft Validate(CreateTransactionRequest request)
    {
        var errors = new ValidationErrors();
        if (request.StoreId is not > 0)
        {
            errors.Add("storeId", "The storeId field is required.");
        }

        if (request.Lines is null || request.Lines.Count == 0)
        {
            errors.Add("lines", "At least one line is required.");
        }
        else if (request.Lines.Count > 200)
        {
            errors.Add("lines", "At most 200 lines are allowed.");
        }
        else
        {
            for (var i = 0; i < request.Lines.Count; i++)
            {
                var line = request.Lines[i];
                if (line?.ProductId is not > 0)
                {
                    errors.Add($"lines[{i}].productId", "The productId field is required.");
                }

                if (line?.Quantity is not (> 0 and <= 10_000))
                {
                    errors.Add($"lines[{i}].quantity", "The quantity field must be between 1 and 10000.");
                }
            }
        }

        if (request.IdempotencyKey is { } key && (string.IsNullOrWhiteSpace(key) || key.Length > 128))
        {
            errors.Add("idempotencyKey", "The idempotencyKey field must be 1 to 128 non-blank characters.");
        }

        errors.ThrowIfAny();
        var lines = request.Lines!.Select(l => new SaleDraftLine(l!.ProductId!.Value, l.Quantity!.Value)).ToList();
        return new SaleDraft(request.StoreId!.Value, lines, request.IdempotencyKey);
    }

    public async Task<SaleOutcome> CreateAsync(BmsPrincipal caller, SaleDraft draft, CancellationToken cancellationToken)
    {
        if (!caller.CanAccessStore(draft.StoreId))
        {
            throw ApiException.Forbidden($"You may not sell in store {draft.StoreId}.");
        }

        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();

            // On SQLite this is BEGIN IMMEDIATE: writers queue here, so the stock read below cannot go stale and the
            // optimistic Version check only matters for providers with concurrent writers (PostgreSQL).
            await using var dbTransaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var concurrent = draft.IdempotencyKey is { } lockKey && await idempotency.WaitTurnAsync(db, IdempotencyScope, lockKey, cancellationToken);
            if (draft.IdempotencyKey is { } key && await FindByKeyAsync(key, draft.StoreId, cancellationToken) is { } applied)
            {
                idempotency.Duplicate(concurrent);
                return new SaleOutcome(applied, Duplicate: true);
            }

            var (transaction, currency, raised) = await BuildAsync(caller, draft, cancellationToken);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                await dbTransaction.CommitAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                await dbTransaction.RollbackAsync(cancellationToken);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), time, cancellationToken);
                continue;
            }
            catch (DbUpdateException ex) when (draft.IdempotencyKey is { } k && ex is not DbUpdateConcurrencyException)
            {
                // A concurrent request with the same key won the unique index.
                await dbTransaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                if (await FindByKeyAsync(k, draft.StoreId, cancellationToken) is { } winner)
                {
                    idempotency.Duplicate(concurrent: true);
                    return new SaleOutcome(winner, Duplicate: true);
                }

                throw;
            }

            await events.PublishAsync(raised, cancellationToken);
            return new SaleOutcome(transaction.ToDto(currency, caller.Name), Duplicate: false);
        }
    }

    public async Task<IReadOnlyList<TransactionDto>> ListAsync(
        BmsPrincipal caller, int? storeId, int limit, CancellationToken cancellationToken)
    {
        var query = db.Transactions.AsNoTracking().Include(t => t.Lines).AsQueryable();
        if (storeId is { } id)
        {
            query = query.Where(t => t.StoreId == id);
        }

        var list = await query.OrderByDescending(t => t.CreatedAt).Take(Math.Clamp(limit, 1, 500)).ToListAsync(cancellationToken);
        var names = await UserNamesAsync(list, cancellationToken);
        var currencies = await db.StoreCurrenciesAsync(cancellationToken);
        return list.Select(t => t.ToDto(currencies.Of(t.StoreId), t.UserId is { } u ? names.GetValueOrDefault(u) : null)).ToList();
    }

    private async Task<Dictionary<int, string>> UserNamesAsync(IReadOnlyCollection<SalesTransaction> transactions, CancellationToken cancellationToken)
    {
        var ids = transactions.Where(t => t.UserId is not null).Select(t => t.UserId!.Value).Distinct().ToArray();
        return ids.Length == 0
            ? []
            : await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Username, cancellationToken);
    }

    private async Task<(SalesTransaction Transaction, string Currency, List<DomainEvent> Events)> BuildAsync(
        BmsPrincipal caller, SaleDraft draft, CancellationToken cancellationToken)
    {
        var ids = draft.Lines.Select(l => l.ProductId).Distinct().ToArray();
        var products = await db.Products.Include(p => p.Inventory)
            .Where(p => ids.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, cancellationToken);

        var errors = new ValidationErrors();
        for (var i = 0; i < draft.Lines.Count; i++)
        {
            if (!products.TryGetValue(draft.Lines[i].ProductId, out var p) || p.StoreId != draft.StoreId || p.Inventory is null)
            {
                errors.Add($"lines[{i}].productId", $"Product {draft.Lines[i].ProductId} does not exist in store {draft.StoreId}.");
            }
        }

        errors.ThrowIfAny();
        var quantities = draft.Lines.GroupBy(l => l.ProductId).ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity));
        foreach (var (productId, quantity) in quantities)
        {
            // 64-bit: a stock already far below zero (or a large sale) cannot wrap around.
            var stock = products[productId].Inventory!.Quantity;
            var after = (long)stock - quantity;
            if (after >= -draft.NegativeStockAllowance)
            {
                continue;
            }

            throw draft.NegativeStockAllowance == 0
                ? ApiException.Conflict($"Product {productId} has {stock} in stock; {quantity} requested.", "insufficient_stock")
                : ApiException.Conflict(
                    $"Product {productId} has {stock} in stock; selling {quantity} would leave {after}, below the allowed "
                    + $"-{draft.NegativeStockAllowance} for offline sales.", "negative_stock_limit");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var transaction = new SalesTransaction
        {
            Id = draft.TransactionId ?? Guid.CreateVersion7(),
            StoreId = draft.StoreId,
            IdempotencyKey = draft.IdempotencyKey,
            UserId = caller.UserId,
            TerminalId = caller.TerminalId,
            CreatedAt = draft.CreatedAt ?? now,
        };
        foreach (var line in draft.Lines)
        {
            var p = products[line.ProductId];
            transaction.Lines.Add(new TransactionLine
            {
                ProductId = p.Id,
                Sku = p.Sku,
                Name = p.Name,
                Quantity = line.Quantity,
                UnitPrice = p.Price,
                LineTotal = p.Price * line.Quantity,
            });
        }

        transaction.Total = transaction.Lines.Sum(l => l.LineTotal);
        db.Transactions.Add(transaction);
        if (draft.IdempotencyKey is { } key)
        {
            db.ProcessedIdempotencyKeys.Add(new ProcessedIdempotencyKey
            {
                Scope = IdempotencyScope,
                Key = key,
                ResultId = transaction.Id.ToString(),
                ProcessedAt = now,
            });
        }

        var route = EventRoute.Store(draft.StoreId);
        var currency = await db.StoreCurrencyAsync(draft.StoreId, cancellationToken);
        var all = new List<DomainEvent> { events.Create(RealtimeEventNames.TransactionCreated, transaction.ToDto(currency, caller.Name), route) };
        foreach (var (productId, quantity) in quantities)
        {
            var p = products[productId];
            var (updated, alert, movement) = StockChange.Apply(p, p.Inventory!, -quantity, "sale", caller.Actor, transaction.Id, now);
            db.InventoryMovements.Add(movement);
            all.Add(events.Create(RealtimeEventNames.InventoryUpdated, updated, route));
            if (alert is not null)
            {
                all.Add(LowStockNotifications.Raise(db, events, alert));
            }
        }

        return (transaction, currency, all);
    }

    private async Task<TransactionDto?> FindByKeyAsync(string key, int storeId, CancellationToken cancellationToken)
    {
        // Keys are unique over all stores: look past the store filter, then refuse a key used in another store.
        var existing = await db.Transactions.IgnoreQueryFilters().AsNoTracking().Include(t => t.Lines)
            .FirstOrDefaultAsync(t => t.IdempotencyKey == key, cancellationToken);
        if (existing is null)
        {
            return null;
        }

        if (existing.StoreId != storeId)
        {
            throw ApiException.Conflict("The idempotency key was already used for a sale in another store.", "idempotency_key_reused");
        }

        var names = await UserNamesAsync([existing], cancellationToken);
        return existing.ToDto(await db.StoreCurrencyAsync(existing.StoreId, cancellationToken), existing.UserId is { } u ? names.GetValueOrDefault(u) : null);
    }
}
