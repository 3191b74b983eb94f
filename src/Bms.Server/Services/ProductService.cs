using Bms.Server.Api;
using Bms.Server.Auth;
using Bms.Server.Data;
using Bms.Server.Domain;
using Bms.Server.Events;
using Microsoft.EntityFrameworkCore;

namespace Bms.Server.Services;

/// <summary>
/// The catalogue: list, read, create and update products. Only the caller's stores are visible (the context's
/// <see cref="StoreScope"/> filter); a new product's store is checked here. Scoped (one per request).
/// </summary>
internal sealed class ProductService(BmsDbContext db, DomainEventPublisher events, TimeProvider time)
{
    public async Task<IReadOnlyList<ProductDto>> ListAsync(BmsPrincipal caller, int? storeId, CancellationToken cancellationToken)
    {
        var query = db.Products.AsNoTracking().Include(p => p.Inventory).AsQueryable();
        if (storeId is { } id)
        {
            query = query.Where(p => p.StoreId == id);
        }

        var products = await query.OrderBy(p => p.Id).ToListAsync(cancellationToken);
        return products.Select(p => p.ToDto()).ToList();
    }

    public async Task<ProductDto> GetAsync(BmsPrincipal caller, int id, CancellationToken cancellationToken)
    {
        var product = await db.Products.AsNoTracking().Include(p => p.Inventory).FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (product is null)
        {
            throw ApiException.NotFound($"Product {id}");
        }

        return product.ToDto();
    }

    public async Task<ProductDto> CreateAsync(BmsPrincipal caller, CreateProductRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.StoreId is not > 0)
        {
            errors.Add("storeId", "The storeId field is required.");
        }

        ValidateFields(errors, request.Sku, request.Name, request.Price, request.LowStockThreshold, required: true);
        if (request.Quantity is < 0 or > 1_000_000)
        {
            errors.Add("quantity", "The quantity field must be between 0 and 1000000.");
        }

        errors.ThrowIfAny();
        var storeId = request.StoreId!.Value;
        if (!caller.CanAccessStore(storeId))
        {
            throw ApiException.Forbidden($"You are not a member of store {storeId}.");
        }

        if (!await db.Stores.AnyAsync(s => s.Id == storeId, cancellationToken))
        {
            throw ApiException.Validation("storeId", $"Store {storeId} does not exist.");
        }

        var sku = request.Sku!.Trim();
        if (await db.Products.AnyAsync(p => p.StoreId == storeId && p.Sku == sku, cancellationToken))
        {
            throw ApiException.Conflict($"SKU '{sku}' already exists in store {storeId}.", "duplicate_sku");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var product = new Product
        {
            StoreId = storeId,
            Sku = sku,
            Name = request.Name!.Trim(),
            Price = request.Price!.Value,
            CreatedAt = now,
            UpdatedAt = now,
            Inventory = new InventoryItem
            {
                StoreId = storeId,
                Quantity = request.Quantity ?? 0,
                LowStockThreshold = request.LowStockThreshold ?? 0,
                UpdatedAt = now,
            },
        };
        var alert = StockChange.Reevaluate(product, product.Inventory);
        db.Products.Add(product);
        await db.SaveChangesAsync(cancellationToken);

        var raised = new List<DomainEvent> { ProductEvent(product, "created") };
        if (alert is not null)
        {
            raised.Add(events.Create(RealtimeEventNames.LowStockAlert, alert, EventRoute.Store(storeId)));
        }

        await events.PublishAsync(raised, cancellationToken);
        return product.ToDto();
    }

    public async Task<ProductDto> UpdateAsync(BmsPrincipal caller, int id, UpdateProductRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        ValidateFields(errors, request.Sku, request.Name, request.Price, request.LowStockThreshold, required: false);
        errors.ThrowIfAny();

        var product = await db.Products.Include(p => p.Inventory).FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (product is null)
        {
            throw ApiException.NotFound($"Product {id}");
        }

        if (request.Sku is { } newSku && newSku.Trim() != product.Sku)
        {
            var sku = newSku.Trim();
            if (await db.Products.AnyAsync(p => p.StoreId == product.StoreId && p.Sku == sku && p.Id != id, cancellationToken))
            {
                throw ApiException.Conflict($"SKU '{sku}' already exists in store {product.StoreId}.", "duplicate_sku");
            }

            product.Sku = sku;
        }

        if (request.Name is { } name)
        {
            product.Name = name.Trim();
        }

        if (request.Price is { } price)
        {
            product.Price = price;
        }

        LowStockAlertData? alert = null;
        var inventory = product.Inventory ??= new InventoryItem { StoreId = product.StoreId };
        if (request.LowStockThreshold is { } threshold && threshold != inventory.LowStockThreshold)
        {
            inventory.LowStockThreshold = threshold;
            inventory.Version++;
            alert = StockChange.Reevaluate(product, inventory);
        }

        var now = time.GetUtcNow().UtcDateTime;
        product.UpdatedAt = now;
        inventory.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);

        var raised = new List<DomainEvent> { ProductEvent(product, "updated") };
        if (alert is not null)
        {
            raised.Add(events.Create(RealtimeEventNames.LowStockAlert, alert, EventRoute.Store(product.StoreId)));
        }

        await events.PublishAsync(raised, cancellationToken);
        return product.ToDto();
    }

    private DomainEvent ProductEvent(Product product, string action)
    {
        var dto = product.ToDto();
        var data = new ProductUpdatedData(
            dto.Id, dto.Sku, dto.Name, dto.Price, dto.Quantity, dto.LowStockThreshold, dto.StoreId, dto.UpdatedAt, action);
        return events.Create(RealtimeEventNames.ProductUpdated, data, EventRoute.Store(product.StoreId));
    }

    private static void ValidateFields(
        ValidationErrors errors, string? sku, string? name, decimal? price, int? lowStockThreshold, bool required)
    {
        if (required || sku is not null)
        {
            errors.Required("sku", sku, 64);
        }

        if (required || name is not null)
        {
            errors.Required("name", name, 200);
        }

        if (required && price is null)
        {
            errors.Add("price", "The price field is required.");
        }
        else if (price is < 0 or > 1_000_000_000)
        {
            errors.Add("price", "The price field must be between 0 and 1000000000.");
        }
        else if (price is { } p && decimal.Round(p, 2) != p)
        {
            errors.Add("price", "The price field must have at most 2 decimal places.");
        }

        if (lowStockThreshold is < 0 or > 1_000_000)
        {
            errors.Add("lowStockThreshold", "The lowStockThreshold field must be between 0 and 1000000.");
        }
    }
}
