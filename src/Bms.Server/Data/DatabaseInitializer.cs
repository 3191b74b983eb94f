using Bms.Server.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bms.Server.Data;

/// <summary>
/// Runs before the server listens: applies pending migrations (creating the database file and its folder),
/// seeds demo data when enabled and the database is empty, and warns while demo accounts exist.
/// </summary>
internal sealed partial class DatabaseInitializer(
    IServiceScopeFactory scopes, IOptions<BmsServerOptions> options, ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BmsDbContext>();
        await db.Database.MigrateAsync(cancellationToken);
        Log.Migrated(logger, db.Database.ProviderName ?? "unknown");

        if (options.Value.DemoData == true)
        {
            var seeded = await scope.ServiceProvider.GetRequiredService<DemoDataSeeder>().SeedIfEmptyAsync(cancellationToken);
            if (seeded)
            {
                Log.Seeded(logger);
            }
        }

        var demoUsers = await db.Users.Where(u => u.IsDemo && u.IsActive).Select(u => u.Username).ToListAsync(cancellationToken);
        var demoTerminals = await db.Terminals.Where(t => t.IsDemo && t.IsActive).Select(t => t.Id).ToListAsync(cancellationToken);
        if (demoUsers.Count + demoTerminals.Count > 0)
        {
            Log.DemoAccounts(logger, string.Join(", ", demoUsers.Concat(demoTerminals)));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Database ready ({Provider})")]
        public static partial void Migrated(ILogger logger, string provider);

        [LoggerMessage(2, LogLevel.Information, "Demo data seeded: store 1, users admin/manager/cashier, terminal POS-001, 12 products")]
        public static partial void Seeded(ILogger logger);

        [LoggerMessage(3, LogLevel.Warning,
            "Demo accounts with well-known passwords exist ({Accounts}). Change their passwords or disable them before real use.")]
        public static partial void DemoAccounts(ILogger logger, string accounts);
    }
}
