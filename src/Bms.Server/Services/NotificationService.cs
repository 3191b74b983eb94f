using Bms.Server.Api;
using Bms.Server.Auth;
using Bms.Server.Data;
using Bms.Server.Domain;
using Bms.Server.Events;
using Microsoft.EntityFrameworkCore;

namespace Bms.Server.Services;

/// <summary>System notifications: stored, then broadcast to every namespace as <c>system:notification</c>. Scoped.</summary>
internal sealed class NotificationService(BmsDbContext db, DomainEventPublisher events, TimeProvider time)
{
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

    public async Task<IReadOnlyList<NotificationDto>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        var list = await db.Notifications.AsNoTracking().OrderByDescending(n => n.CreatedAt)
            .Take(Math.Clamp(limit, 1, 200)).ToListAsync(cancellationToken);
        return list.Select(n => n.ToDto()).ToList();
    }
}
