using System.Data.Common;
using System.Diagnostics;
using Bms.Server.Hosting;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Bms.Server.Data;

/// <summary>
/// Records each committed database transaction (explicit, or the one <c>SaveChanges</c> opens) as a
/// <c>db commit</c> span of <see cref="BmsTracing.Source"/> under the current activity, with the commit's own start
/// time and duration. Nothing is recorded while nothing listens to the source. Stateless and thread-safe.
/// </summary>
internal sealed class CommitTracingInterceptor : DbTransactionInterceptor
{
    public static readonly CommitTracingInterceptor Instance = new();

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Record(eventData);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Record(eventData);
        return Task.CompletedTask;
    }

    private static void Record(TransactionEndEventData eventData)
    {
        if (!BmsTracing.Source.HasListeners())
        {
            return;
        }

        var parent = Activity.Current;
        using var activity = BmsTracing.Source.StartActivity(
            "db commit", ActivityKind.Internal, parent?.Context ?? default, startTime: eventData.StartTime);
        if (activity is null)
        {
            return;
        }

        activity.SetTag("db.system", eventData.Context?.Database.ProviderName);
        activity.SetEndTime((eventData.StartTime + eventData.Duration).UtcDateTime);
        activity.Stop();
        Activity.Current = parent;
    }
}
