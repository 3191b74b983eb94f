using Bms.Server.Auth;

namespace Bms.Server.Api;

/// <summary><c>/api/auth</c>: login, refresh (rotation + reuse detection), terminal sign-in, current principal.</summary>
internal static class AuthEndpoints
{
    public static void MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/login", (LoginRequest request, AuthService auth, CancellationToken ct) => auth.LoginAsync(request, ct))
            .AllowAnonymous();
        group.MapPost("/refresh", (RefreshRequest request, AuthService auth, CancellationToken ct) => auth.RefreshAsync(request, ct))
            .AllowAnonymous();
        group.MapPost("/terminal", (TerminalLoginRequest request, AuthService auth, CancellationToken ct) =>
            auth.TerminalLoginAsync(request, ct)).AllowAnonymous();
        group.MapGet("/me", (HttpContext context) =>
        {
            var me = context.GetBmsPrincipal();
            return new PrincipalDto(me.Kind, me.Id, me.Name, [.. me.Roles.Order()], [.. me.StoreIds.Order()], me.ExpiresAt);
        }).RequireAuthorization(Policies.SignedIn);
    }
}
