using Bms.Server.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Bms.Server.Data;

/// <summary>
/// Fills an empty database with the demo shop: store 1, users admin/manager/cashier, terminal POS-001 and a dozen
/// products with stock and thresholds. Products are inserted one by one in a fixed order, so on a new database their
/// ids are 1..12; they never change afterwards.
/// </summary>
internal sealed class DemoDataSeeder(BmsDbContext db, IPasswordHasher<User> userHasher, IPasswordHasher<Terminal> terminalHasher, TimeProvider time)
{
    /// <summary>Demo products: sku, name, price, quantity, low-stock threshold.</summary>
    internal static readonly (string Sku, string Name, decimal Price, int Quantity, int Threshold)[] Products =
    [
        ("COF-001", "Espresso Beans 1kg", 18.90m, 40, 10),
        ("COF-002", "Filter Coffee 500g", 9.50m, 60, 15),
        ("TEA-001", "Green Tea 100 bags", 6.20m, 35, 10),
        ("MLK-001", "Oat Milk 1L", 2.49m, 80, 20),
        ("MLK-002", "Whole Milk 1L", 1.29m, 100, 25),
        ("BAK-001", "Croissant", 1.80m, 30, 8),
        ("BAK-002", "Sourdough Loaf", 4.60m, 20, 5),
        ("SNK-001", "Dark Chocolate Bar", 2.99m, 50, 12),
        ("SNK-002", "Almond Biscotti", 3.40m, 25, 6),
        ("DRK-001", "Sparkling Water 0.5L", 0.99m, 120, 30),
        ("DRK-002", "Orange Juice 1L", 3.20m, 45, 10),
        ("ACC-001", "Reusable Cup", 8.00m, 15, 5),
    ];

    /// <summary>Seeds when the database has no users. Returns true if it seeded.</summary>
    public async Task<bool> SeedIfEmptyAsync(CancellationToken cancellationToken)
    {
        if (await db.Users.AnyAsync(cancellationToken) || await db.Stores.AnyAsync(cancellationToken))
        {
            return false;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var store = new Store { Name = "Main Street Store", Currency = "EUR", CreatedAt = now };
        db.Stores.Add(store);
        await db.SaveChangesAsync(cancellationToken);

        AddUser("admin", "Admin", "admin123!", Roles.Admin, store.Id, now);
        AddUser("manager", "Store Manager", "manager123!", Roles.Manager, store.Id, now);
        AddUser("cashier", "Cashier", "cashier123!", Roles.Cashier, store.Id, now);

        var terminal = new Terminal { Id = "POS-001", Name = "Till 1", StoreId = store.Id, IsDemo = true, CreatedAt = now };
        terminal.SecretHash = terminalHasher.HashPassword(terminal, "pos-secret-001");
        db.Terminals.Add(terminal);
        await db.SaveChangesAsync(cancellationToken);

        foreach (var (sku, name, price, quantity, threshold) in Products)
        {
            db.Products.Add(new Product
            {
                StoreId = store.Id,
                Sku = sku,
                Name = name,
                Price = price,
                CreatedAt = now,
                UpdatedAt = now,
                Inventory = new InventoryItem { StoreId = store.Id, Quantity = quantity, LowStockThreshold = threshold, UpdatedAt = now },
            });
            await db.SaveChangesAsync(cancellationToken);
        }

        return true;
    }

    private void AddUser(string username, string displayName, string password, string role, int storeId, DateTime now)
    {
        var user = new User
        {
            Username = username,
            DisplayName = displayName,
            IsDemo = true,
            CreatedAt = now,
            UpdatedAt = now,
            Roles = [new UserRole { Role = role }],
            Stores = [new StoreMembership { StoreId = storeId }],
        };
        user.PasswordHash = userHasher.HashPassword(user, password);
        db.Users.Add(user);
    }
}
