using Microsoft.EntityFrameworkCore;

namespace Bms.Server.Routing.Webhooks;

/// <summary>The webhook tables of the backend's database (both providers).</summary>
internal static class WebhookModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Webhook>(e =>
        {
            e.ToTable("Webhooks");
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Url).HasMaxLength(2000);
            e.Property(x => x.Secret).HasMaxLength(200);
            e.Property(x => x.Event).HasMaxLength(64);
            e.Property(x => x.Filter).HasMaxLength(4000);
            e.Property(x => x.DisabledReason).HasMaxLength(500);
        });

        modelBuilder.Entity<WebhookDelivery>(e =>
        {
            e.ToTable("WebhookDeliveries");
            e.Property(x => x.EventId).HasMaxLength(64);
            e.Property(x => x.EventType).HasMaxLength(64);
            e.Property(x => x.LockedBy).HasMaxLength(64);
            e.Property(x => x.LastError).HasMaxLength(1000);
            e.HasIndex(x => new { x.WebhookId, x.EventId }).IsUnique();
            e.HasIndex(x => new { x.Status, x.NextAttemptAt });
            e.HasIndex(x => new { x.WebhookId, x.CreatedAt });
            e.HasOne<Webhook>().WithMany().HasForeignKey(x => x.WebhookId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
