using Bms.Server.Auth;
using Bms.Server.Services;

namespace Bms.Server.Api;

/// <summary><c>/api/users</c>: list and update users (admin).</summary>
internal static class UserEndpoints
{
    public static void MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/users").WithTags("Users").RequireAuthorization(Policies.Admin);
        group.MapGet("/", (UserService users, CancellationToken ct) => users.ListAsync(ct));
        group.MapPut("/{id:int}", (int id, UpdateUserRequest request, UserService users, CancellationToken ct) =>
            users.UpdateAsync(id, request, ct));
    }
}
