using System.Linq.Expressions;
using Bms.Server.Api;
using Bms.Server.Auth;
using Bms.Server.Data;
using Bms.Server.Domain;
using Bms.Server.Events;
using Microsoft.EntityFrameworkCore;

namespace Bms.Server.Services;

/// <summary>
/// Notifications: system notices (stored, then broadcast to every namespace as <c>system:notification</c>) and the
/// stores' low-stock alerts (stored by <see cref="LowStockNotifications"/>), listed per user with that user's read
/// state. Store scoping comes from the context's <see cref="StoreScope"/> filter: a caller sees system notices and
/// the alerts of their own stores (an admin: every store). Read and cleared state is per user and kept in
/// <see cref="NotificationReceipt"/> rows. Scoped.
/// </summary>
internal sealed class NotificationService(BmsDbContext db, DomainEventPublisher events, TimeProvider time)
{
    /// <summary>The largest <c>limit</c> of a list.</summary>
    public const int MaxLimit = 200;

    public async Task<NotificationDto> SendAsync(BmsPrincipal caller, SendNotificationRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Required("title", request.Title, 200);
        errors.Required("message", request.Message, 2000);
        var severity = string.IsNullOrWhiteSpace(request.Severity) ? NotificationSeverity.Info : request.Severity.Trim();
        if (!NotificationSeverity.IsValid(severity))
        {
            errors.Add("severity", "The severity field must be one of: info, success, warning, error.");
        }

        errors.ThrowIfAny();
        var notification = new Notification
        {
            Id = Guid.CreateVersion7(),
            Kind = NotificationKind.System,
            Title = request.Title!.Trim(),
            Message = request.Message!.Trim(),
            Severity = severity,
            CreatedByUserId = caller.UserId,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Notifications.Add(notification);
        await db.SaveChangesAsync(cancellationToken);

        var dto = notification.ToDto();
        await events.PublishAsync(RealtimeEventNames.SystemNotification, dto, EventRoute.All, cancellationToken);
        return dto;
    }

    /// <summary>
    /// The caller's notifications, newest first: not cleared by them, with their read state. A terminal has no read
    /// state: it gets every notification of its store, unread.
    /// </summary>
    public async Task<IReadOnlyList<UserNotificationDto>> ListAsync(BmsPrincipal caller, int limit, CancellationToken cancellationToken)
    {
        limit = Math.Clamp(limit, 1, MaxLimit);
        if (caller.UserId is not { } userId)
        {
            var rows = await db.Notifications.AsNoTracking().OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
                .Take(limit).ToListAsync(cancellationToken);
            return rows.Select(n => n.ToUserDto(read: false)).ToList();
        }

        var query =
            from n in db.Notifications.AsNoTracking()
            join r in db.NotificationReceipts.Where(r => r.UserId == userId) on n.Id equals r.NotificationId into receipts
            from r in receipts.DefaultIfEmpty()
            where r == null || r.ClearedAt == null
            orderby n.CreatedAt descending, n.Id descending
            select new { Notification = n, Read = r != null && r.ReadAt != null };
        var list = await query.Take(limit).ToListAsync(cancellationToken);
        return list.Select(x => x.Notification.ToUserDto(x.Read)).ToList();
    }

    /// <summary>Marks one notification read for the caller (idempotent); 404 when the caller cannot see it.</summary>
    public async Task MarkReadAsync(BmsPrincipal caller, Guid id, CancellationToken cancellationToken)
    {
        var userId = RequireUser(caller);
        if (!await db.Notifications.AnyAsync(n => n.Id == id, cancellationToken))
        {
            throw ApiException.NotFound($"Notification {id}");
        }

        await UpdateReceiptsAsync(userId, [id], (r, now) => r.ReadAt ??= now, cancellationToken);
    }

    /// <summary>Marks every notification the caller can see read; returns how many were unread.</summary>
    public Task<int> MarkAllReadAsync(BmsPrincipal caller, CancellationToken cancellationToken) =>
        ApplyToAllAsync(caller, r => r.ReadAt != null, (r, now) => r.ReadAt ??= now, cancellationToken);

    /// <summary>Clears the caller's list: every notification they can see now stays out of it; returns how many.</summary>
    public Task<int> ClearAsync(BmsPrincipal caller, CancellationToken cancellationToken) =>
        ApplyToAllAsync(caller, r => r.ClearedAt != null, (r, now) =>
        {
            r.ReadAt ??= now;
            r.ClearedAt ??= now;
        }, cancellationToken);

    private async Task<int> ApplyToAllAsync(
        BmsPrincipal caller, Expression<Func<NotificationReceipt, bool>> alreadyDone,
        Action<NotificationReceipt, DateTime> change, CancellationToken cancellationToken)
    {
        var userId = RequireUser(caller);
        var done = db.NotificationReceipts.Where(r => r.UserId == userId).Where(alreadyDone).Select(r => r.NotificationId);
        var ids = await db.Notifications.Where(n => !done.Contains(n.Id)).Select(n => n.Id).ToListAsync(cancellationToken);
        await UpdateReceiptsAsync(userId, ids, change, cancellationToken);
        return ids.Count;
    }

    private async Task UpdateReceiptsAsync(int userId, IReadOnlyList<Guid> ids, Action<NotificationReceipt, DateTime> change, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var now = time.GetUtcNow().UtcDateTime;
            var existing = await db.NotificationReceipts.Where(r => r.UserId == userId && ids.Contains(r.NotificationId))
                .ToDictionaryAsync(r => r.NotificationId, cancellationToken);
            foreach (var id in ids)
            {
                if (!existing.TryGetValue(id, out var receipt))
                {
                    receipt = new NotificationReceipt { NotificationId = id, UserId = userId };
                    db.NotificationReceipts.Add(receipt);
                }

                change(receipt, now);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // The same user in another tab inserted one of these rows first: read them again.
            }
        }
    }

    private static int RequireUser(BmsPrincipal caller) =>
        caller.UserId ?? throw ApiException.Forbidden("Terminals have no per-user notification state.");
}
