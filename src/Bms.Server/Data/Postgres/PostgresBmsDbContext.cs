using Bms.Server.Cluster;
using Bms.Server.Data;
using Bms.Server.Observability;
using Bms.Server.Realtime;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore;

namespace Bms.Server.Data.Postgres;

/// <summary>
/// The backend's database on PostgreSQL: the same model as <see cref="BmsDbContext"/>, with its own migrations
/// (<c>Data/Postgres/Migrations</c>), so several nodes share users, products, stock, transactions and the POS dedupe
/// table. Registered as <see cref="BmsDbContext"/> when the connection string is a PostgreSQL one.
/// </summary>
internal sealed class PostgresBmsDbContext(DbContextOptions<PostgresBmsDbContext> options, StoreScope? storeScope = null)
    : BmsDbContext(options, storeScope);

/// <summary>Design-time factory for <c>dotnet ef migrations add … --context PostgresBmsDbContext</c> (no server needed).</summary>
internal sealed class PostgresBmsDbContextFactory : IDesignTimeDbContextFactory<PostgresBmsDbContext>
{
    public PostgresBmsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresBmsDbContext>().UseNpgsql("Host=127.0.0.1;Database=bms").Options);
}
