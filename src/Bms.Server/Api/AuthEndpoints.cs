using Bms.Server.Auth;

namespace Bms.Server.Api;

/// <summary>
/// <c>/api/auth</c>: login, refresh (rotation + reuse detection), terminal sign-in, current principal. The three sign-in
/// endpoints answer <c>429</c> (code <c>too_many_attempts</c>, <c>Retry-After</c>) over the <c>Bms:SignIn</c> limits and
/// <c>503</c> (code <c>sign_in_busy</c>) when too many password checks are waiting.
/// </summary>
internal static class AuthEndpoints
{
    public static void MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth");
        // The client address is the one after trusted-proxy resolution (forwarded headers run first in the pipeline).
        group.MapPost("/login", (LoginRequest request, AuthService auth, HttpContext context) =>
            auth.LoginAsync(request, context.Connection.RemoteIpAddress, context.RequestAborted)).AllowAnonymous();
        group.MapPost("/refresh", (RefreshRequest request, AuthService auth, HttpContext context) =>
            auth.RefreshAsync(request, context.Connection.RemoteIpAddress, context.RequestAborted)).AllowAnonymous();
        group.MapPost("/terminal", (TerminalLoginRequest request, AuthService auth, HttpContext context) =>
            auth.TerminalLoginAsync(request, context.Connection.RemoteIpAddress, context.RequestAborted)).AllowAnonymous();
        group.MapGet("/me", (HttpContext context) =>
        {
            var me = context.GetBmsPrincipal();
            return new PrincipalDto(me.Kind, me.Id, me.Name, [.. me.Roles.Order()], [.. me.StoreIds.Order()], me.ExpiresAt);
        }).RequireAuthorization(Policies.SignedIn);
    }
}
