using Bms.Server.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Bms.Server.Tests.Infrastructure;

/// <summary>Test helper: adds store 2 beside the demo store, with one product (and stock) and terminal <c>POS-201</c>.</summary>
internal sealed record SecondStore(int StoreId, int ProductId, string TerminalId, string TerminalSecret)
{
    public static async Task<SecondStore> AddAsync(BmsServerHost host, int quantity = 70)
    {
        var hasher = host.Services.GetRequiredService<IPasswordHasher<Terminal>>();
        return await host.WithDbAsync(async db =>
        {
            var now = DateTime.UtcNow;
            var store = new Store { Name = "Harbour Store", CreatedAt = now };
            db.Stores.Add(store);
            await db.SaveChangesAsync();
            var product = new Product
            {
                StoreId = store.Id,
                Sku = "H-001",
                Name = "Harbour Tea",
                Price = 4.5m,
                CreatedAt = now,
                UpdatedAt = now,
                Inventory = new InventoryItem { StoreId = store.Id, Quantity = quantity, LowStockThreshold = 1, UpdatedAt = now },
            };
            db.Products.Add(product);
            var terminal = new Terminal { Id = "POS-201", Name = "Harbour till", StoreId = store.Id, CreatedAt = now };
            terminal.SecretHash = hasher.HashPassword(terminal, "pos-secret-201");
            db.Terminals.Add(terminal);
            await db.SaveChangesAsync();
            return new SecondStore(store.Id, product.Id, terminal.Id, "pos-secret-201");
        });
    }
}
