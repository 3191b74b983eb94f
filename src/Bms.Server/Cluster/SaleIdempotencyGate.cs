using System.Diagnostics.Metrics;
using Bms.Server.Data.Postgres;
using Bms.Server.Data;
using Bms.Server.Observability;
using Bms.Server.Realtime;
using Microsoft.EntityFrameworkCore;

namespace Bms.Server.Cluster;

/// <summary>
/// Lets concurrent sales with the same idempotency key (a POS retry arriving at two nodes at once) wait for each
/// other instead of racing to the unique index. On PostgreSQL, <see cref="WaitTurnAsync"/> takes a transaction-scoped
/// advisory lock on the key before the key is looked up, so the later request sees the earlier one's committed sale
/// and answers it as a duplicate: no INSERT fails, so EF Core logs no error. SQLite needs nothing (its write
/// transactions are <c>BEGIN IMMEDIATE</c>, one at a time). Counts, on meter <c>Bms.Server.Sales</c>,
/// <c>bms.sales.duplicates{concurrent}</c>: sales answered from an already applied key, <c>concurrent="true"</c> when
/// another request with that key was still in flight. Thread-safe singleton.
/// </summary>
internal sealed class SaleIdempotencyGate
{
    public const string MeterName = "Bms.Server.Sales";

    private static readonly KeyValuePair<string, object?> Concurrent = new("concurrent", "true");
    private static readonly KeyValuePair<string, object?> Sequential = new("concurrent", "false");
    private readonly Counter<long> _duplicates;

    public SaleIdempotencyGate(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _duplicates = meter.CreateCounter<long>("bms.sales.duplicates", "{sale}", "Sales answered from an already applied idempotency key, by whether a request with the same key was in flight");
    }

    /// <summary>
    /// Inside the sale's database transaction: waits until no other transaction holds <paramref name="key"/> (the lock
    /// is released when this transaction ends). Returns true when another one held it (a concurrent duplicate).
    /// </summary>
    public async Task<bool> WaitTurnAsync(BmsDbContext db, string scope, string key, CancellationToken cancellationToken)
    {
        if (db is not PostgresBmsDbContext)
        {
            return false;
        }

        var lockKey = scope + ":" + key;
        var free = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock(hashtextextended({lockKey}, 0)) AS \"Value\"").ToListAsync(cancellationToken);
        if (free is [true])
        {
            return false;
        }

        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({lockKey}, 0))", cancellationToken);
        return true;
    }

    /// <summary>Counts a sale answered as a duplicate of an applied key.</summary>
    public void Duplicate(bool concurrent) => _duplicates.Add(1, concurrent ? Concurrent : Sequential);
}
