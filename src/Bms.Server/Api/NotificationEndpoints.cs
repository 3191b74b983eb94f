using Bms.Server.Auth;
using Bms.Server.Services;

namespace Bms.Server.Api;

/// <summary><c>/api/notifications</c>: send (admin, 202) and list recent (signed in).</summary>
internal static class NotificationEndpoints
{
    public static void MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/notifications").WithTags("Notifications").RequireAuthorization(Policies.SignedIn);
        group.MapGet("/", (int? limit, NotificationService notifications, CancellationToken ct) => notifications.ListAsync(limit ?? 50, ct));
        group.MapPost("/", async (SendNotificationRequest request, HttpContext context, NotificationService notifications, CancellationToken ct) =>
        {
            var sent = await notifications.SendAsync(context.GetBmsPrincipal(), request, ct);
            return TypedResults.Accepted($"/api/notifications/{sent.Id}", sent);
        }).RequireAuthorization(Policies.Admin);
    }
}
