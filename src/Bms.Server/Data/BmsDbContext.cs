using Bms.Server.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Bms.Server.Data;

/// <summary>
/// The backend's database. Provider-agnostic: nothing here is SQLite-specific, so the PostgreSQL provider is a
/// derived context (<c>PostgresBmsDbContext</c>) with its own migrations folder; the constructor takes the
/// non-generic options for that reason. Store-owned entities (products, stock, stock movements, sales, low-stock
/// notifications) carry a global query filter driven by <see cref="StoreScope"/>: every query sees only the current
/// caller's stores.
/// </summary>
internal class BmsDbContext(DbContextOptions options, StoreScope? storeScope = null) : DbContext(options)
{
    /// <summary>The stores this context's queries may see; without one (design time, tools) no store at all.</summary>
    internal StoreScope StoreScope { get; } = storeScope ?? new StoreScope();

    public DbSet<Store> Stores => Set<Store>();

    public DbSet<User> Users => Set<User>();

    public DbSet<UserRole> UserRoles => Set<UserRole>();

    public DbSet<StoreMembership> StoreMemberships => Set<StoreMembership>();

    public DbSet<Terminal> Terminals => Set<Terminal>();

    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();

    public DbSet<Product> Products => Set<Product>();

    public DbSet<InventoryItem> Inventory => Set<InventoryItem>();

    public DbSet<InventoryMovement> InventoryMovements => Set<InventoryMovement>();

    public DbSet<SalesTransaction> Transactions => Set<SalesTransaction>();

    public DbSet<TransactionLine> TransactionLines => Set<TransactionLine>();

    public DbSet<Notification> Notifications => Set<Notification>();

    public DbSet<NotificationReceipt> NotificationReceipts => Set<NotificationReceipt>();

    public DbSet<ProcessedIdempotencyKey> ProcessedIdempotencyKeys => Set<ProcessedIdempotencyKey>();

    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder)
    {
        optionsBuilder.AddInterceptors(CommitTracingInterceptor.Instance);
        // Transaction lines have no store of their own: they are only ever read through their (filtered) sale.
        optionsBuilder.ConfigureWarnings(w => w.Ignore(CoreEventId.PossibleIncorrectRequiredNavigationWithQueryFilterInteractionWarning));
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every timestamp is UTC; SQLite hands back Kind=Unspecified, so restore the kind on read.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<decimal>().HavePrecision(18, 2);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Store>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Currency).HasMaxLength(3);
        });

        modelBuilder.Entity<User>(e =>
        {
            e.Property(x => x.Username).HasMaxLength(64);
            e.HasIndex(x => x.Username).IsUnique();
            e.Property(x => x.DisplayName).HasMaxLength(200);
            e.Property(x => x.PasswordHash).HasMaxLength(512);
            e.Property(x => x.SecurityStamp).HasMaxLength(64);
            e.HasMany(x => x.Roles).WithOne().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.Stores).WithOne().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<UserRole>(e =>
        {
            e.HasKey(x => new { x.UserId, x.Role });
            e.Property(x => x.Role).HasMaxLength(32);
        });

        modelBuilder.Entity<StoreMembership>(e =>
        {
            e.HasKey(x => new { x.UserId, x.StoreId });
            e.HasOne<Store>().WithMany().HasForeignKey(x => x.StoreId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Terminal>(e =>
        {
            e.Property(x => x.Id).HasMaxLength(64);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.SecretHash).HasMaxLength(512);
            e.HasOne<Store>().WithMany().HasForeignKey(x => x.StoreId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<RefreshToken>(e =>
        {
            e.Property(x => x.TokenHash).HasMaxLength(64);
            e.HasIndex(x => x.TokenHash).IsUnique();
            e.Property(x => x.FamilyId).HasMaxLength(64);
            e.HasIndex(x => x.FamilyId);
            e.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Product>(e =>
        {
            e.Property(x => x.Sku).HasMaxLength(64);
            e.Property(x => x.Name).HasMaxLength(200);
            e.HasIndex(x => new { x.StoreId, x.Sku }).IsUnique();
            e.HasOne<Store>().WithMany().HasForeignKey(x => x.StoreId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(x => x.Inventory).WithOne().HasForeignKey<InventoryItem>(x => x.ProductId)
                .OnDelete(DeleteBehavior.Cascade);
            e.HasQueryFilter(x => StoreScope.AllStores || StoreScope.StoreIds.Contains(x.StoreId));
        });

        modelBuilder.Entity<InventoryItem>(e =>
        {
            e.HasKey(x => x.ProductId);
            e.Property(x => x.Version).IsConcurrencyToken();
            e.HasIndex(x => x.StoreId);
            e.HasQueryFilter(x => StoreScope.AllStores || StoreScope.StoreIds.Contains(x.StoreId));
        });

        modelBuilder.Entity<InventoryMovement>(e =>
        {
            e.Property(x => x.Reason).HasMaxLength(200);
            e.Property(x => x.Actor).HasMaxLength(64);
            e.HasIndex(x => new { x.ProductId, x.CreatedAt });
            e.HasQueryFilter(x => StoreScope.AllStores || StoreScope.StoreIds.Contains(x.StoreId));
        });

        modelBuilder.Entity<SalesTransaction>(e =>
        {
            e.ToTable("Transactions");
            e.Property(x => x.IdempotencyKey).HasMaxLength(128);
            e.HasIndex(x => x.IdempotencyKey).IsUnique();
            e.Property(x => x.TerminalId).HasMaxLength(64);
            e.HasIndex(x => new { x.StoreId, x.CreatedAt });
            e.HasQueryFilter(x => StoreScope.AllStores || StoreScope.StoreIds.Contains(x.StoreId));
            e.HasMany(x => x.Lines).WithOne().HasForeignKey(x => x.TransactionId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<TransactionLine>(e =>
        {
            e.Property(x => x.Sku).HasMaxLength(64);
            e.Property(x => x.Name).HasMaxLength(200);
        });

        modelBuilder.Entity<Notification>(e =>
        {
            e.Property(x => x.Title).HasMaxLength(200);
            e.Property(x => x.Message).HasMaxLength(2000);
            e.Property(x => x.Severity).HasMaxLength(16);
            e.Property(x => x.Kind).HasMaxLength(16);
            e.HasIndex(x => x.CreatedAt);
            e.HasIndex(x => new { x.StoreId, x.CreatedAt });
            // No foreign key to Stores: adding one to the existing SQLite table would make the migration rebuild it.
            // System notices (no store) are for everyone; a low-stock alert only for its store's callers.
            e.HasQueryFilter(x => x.StoreId == null || StoreScope.AllStores || StoreScope.StoreIds.Contains(x.StoreId.Value));
        });

        modelBuilder.Entity<NotificationReceipt>(e =>
        {
            e.HasKey(x => new { x.NotificationId, x.UserId });
            e.HasIndex(x => x.UserId);
            e.HasOne<Notification>().WithMany().HasForeignKey(x => x.NotificationId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ProcessedIdempotencyKey>(e =>
        {
            e.HasKey(x => new { x.Scope, x.Key });
            e.Property(x => x.Scope).HasMaxLength(32);
            e.Property(x => x.Key).HasMaxLength(128);
            e.Property(x => x.ResultId).HasMaxLength(128);
            e.HasIndex(x => x.ProcessedAt);
        });

        Routing.Webhooks.WebhookModel.Configure(modelBuilder);
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
