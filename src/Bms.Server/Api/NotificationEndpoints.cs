using Bms.Server.Auth;
using Bms.Server.Services;

namespace Bms.Server.Api;

/// <summary>
/// <c>/api/notifications</c>: send a system notice (admin, 202); list the caller's notifications with their read
/// state (signed in); mark one or all read and clear the list (users; the state is the caller's own).
/// </summary>
internal static class NotificationEndpoints
{
    public static void MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/notifications").WithTags("Notifications").RequireAuthorization(Policies.SignedIn);
        group.MapGet("/", (int? limit, HttpContext context, NotificationService notifications, CancellationToken ct) =>
            notifications.ListAsync(context.GetBmsPrincipal(), limit ?? 50, ct));
        group.MapPost("/", async (SendNotificationRequest request, HttpContext context, NotificationService notifications, CancellationToken ct) =>
        {
            var sent = await notifications.SendAsync(context.GetBmsPrincipal(), request, ct);
            return TypedResults.Accepted($"/api/notifications/{sent.Id}", sent);
        }).RequireAuthorization(Policies.Admin);
        group.MapPost("/{id:guid}/read", async (Guid id, HttpContext context, NotificationService notifications, CancellationToken ct) =>
        {
            await notifications.MarkReadAsync(context.GetBmsPrincipal(), id, ct);
            return TypedResults.NoContent();
        });
        group.MapPost("/read-all", async (HttpContext context, NotificationService notifications, CancellationToken ct) =>
            new MarkAllReadResponse(await notifications.MarkAllReadAsync(context.GetBmsPrincipal(), ct)));
        group.MapPost("/clear", async (HttpContext context, NotificationService notifications, CancellationToken ct) =>
            new ClearNotificationsResponse(await notifications.ClearAsync(context.GetBmsPrincipal(), ct)));
    }
}
