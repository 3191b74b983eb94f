using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Bms.Server.Api;

/// <summary>
/// Gives every Problem Details answer a <c>code</c>, including those written for a bare status code (the
/// authentication and authorization middleware, unknown routes, wrong methods): <c>unauthorized</c>,
/// <c>forbidden</c>, <c>not_found</c>, <c>method_not_allowed</c>, else <c>http_{status}</c>. A refused role also gets a
/// <c>detail</c> naming the roles the endpoint takes, so a client can show why.
/// </summary>
internal static class ProblemCodes
{
    private const string ForbiddenDetailKey = "bms.forbidden.detail";

    /// <summary>Registers the Problem Details customization and the authorization result handler.</summary>
    public static IServiceCollection AddBmsProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            if (problem.Status == StatusCodes.Status403Forbidden && problem.Detail is null
                && context.HttpContext.Items[ForbiddenDetailKey] is string detail)
            {
                problem.Detail = detail;
            }

            if (!problem.Extensions.ContainsKey("code"))
            {
                problem.Extensions["code"] = problem.Status switch
                {
                    StatusCodes.Status401Unauthorized => "unauthorized",
                    StatusCodes.Status403Forbidden => "forbidden",
                    StatusCodes.Status404NotFound => "not_found",
                    StatusCodes.Status405MethodNotAllowed => "method_not_allowed",
                    { } status => $"http_{status}",
                    null => "error",
                };
            }
        });
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ForbiddenReasonHandler>();
        return services;
    }

    /// <summary>Notes which roles a refused request lacked, then lets the default handler answer.</summary>
    private sealed class ForbiddenReasonHandler : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler inner = new();

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
        {
            if (authorizeResult.Forbidden)
            {
                var roles = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement>()
                    .SelectMany(r => r.AllowedRoles).Distinct(StringComparer.Ordinal).ToList();
                context.Items[ForbiddenDetailKey] = roles is { Count: > 0 }
                    ? $"This needs the role {string.Join(" or ", roles)}."
                    : "You are not allowed to do this.";
            }

            return inner.HandleAsync(next, context, policy, authorizeResult);
        }
    }
}
