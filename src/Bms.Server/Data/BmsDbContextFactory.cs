using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Bms.Server.Data;

/// <summary>Design-time factory for <c>dotnet ef migrations add</c> (SQLite model).</summary>
internal sealed class BmsDbContextFactory : IDesignTimeDbContextFactory<BmsDbContext>
{
    public BmsDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<BmsDbContext>()
            .UseSqlite(BmsDatabaseOptions.DefaultConnectionString)
            .Options;
        return new BmsDbContext(options);
    }
}
