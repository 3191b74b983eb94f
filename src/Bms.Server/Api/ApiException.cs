namespace Bms.Server.Api;

/// <summary>
/// A request that cannot be served, thrown by services and turned into Problem Details by
/// <see cref="ApiExceptionHandler"/>. <see cref="Errors"/> (field → messages) makes it a validation problem.
/// </summary>
internal sealed class ApiException(int statusCode, string title, string? detail = null, string? code = null) : Exception(detail ?? title)
{
    public int StatusCode { get; } = statusCode;

    public string Title { get; } = title;

    public string? Detail { get; } = detail;

    /// <summary>Machine-readable code written as the <c>code</c> extension member.</summary>
    public string? Code { get; } = code;

    public IDictionary<string, string[]>? Errors { get; init; }

    /// <summary>When set, written as the <c>Retry-After</c> header (whole seconds).</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static ApiException Validation(IDictionary<string, string[]> errors) =>
        new(StatusCodes.Status400BadRequest, "One or more validation errors occurred.", code: "validation_failed") { Errors = errors };

    public static ApiException Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static ApiException NotFound(string what) =>
        new(StatusCodes.Status404NotFound, "Not Found", $"{what} was not found.", "not_found");

    public static ApiException Forbidden(string detail) =>
        new(StatusCodes.Status403Forbidden, "Forbidden", detail, "forbidden");

    public static ApiException Unauthorized(string detail, string code = "unauthorized") =>
        new(StatusCodes.Status401Unauthorized, "Unauthorized", detail, code);

    public static ApiException Conflict(string detail, string code) =>
        new(StatusCodes.Status409Conflict, "Conflict", detail, code);
}
