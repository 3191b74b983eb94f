using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Bms.Server.Api;

/// <summary>
/// Writes Problem Details for <see cref="ApiException"/> and for malformed requests (<see cref="BadHttpRequestException"/>:
/// bad JSON, wrong types, missing body), so no error leaves the API without a problem body. Other exceptions are left
/// to the default handler (500 Problem Details).
/// </summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails? problem = exception switch
        {
            ApiException { Errors: { } errors } api => new HttpValidationProblemDetails(errors)
            {
                Status = api.StatusCode,
                Title = api.Title,
                Detail = api.Detail,
            },
            ApiException api => new ProblemDetails { Status = api.StatusCode, Title = api.Title, Detail = api.Detail },
            BadHttpRequestException bad => new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = "Bad Request",
                Detail = bad.StatusCode == StatusCodes.Status400BadRequest ? "The request body or parameters are malformed." : bad.Message,
            },
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }

        var code = exception switch
        {
            ApiException api => api.Code,
            BadHttpRequestException => "malformed_request",
            _ => null,
        };
        if (code is not null)
        {
            problem.Extensions["code"] = code;
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
        if (exception is ApiException { RetryAfter: { } retryAfter })
        {
            httpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }
}
