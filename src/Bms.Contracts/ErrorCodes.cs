namespace Bms.Contracts;

/// <summary>
/// The closed set of <c>code</c> extension values in the REST API's Problem Details answers (see
/// <see cref="ApiProblemDetails"/>), and of <c>reason</c> values of rejected POS sync items.
/// </summary>
public static class ErrorCodes
{
    /// <summary>400: one or more fields are invalid; <c>errors</c> maps field → messages.</summary>
    public const string ValidationFailed = "validation_failed";

    /// <summary>400: the body or parameters could not be read.</summary>
    public const string MalformedRequest = "malformed_request";

    /// <summary>401: no valid token.</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>401: wrong user name or password, or terminal id or secret.</summary>
    public const string InvalidCredentials = "invalid_credentials";

    /// <summary>401: the account is disabled.</summary>
    public const string AccountDisabled = "account_disabled";

    /// <summary>401: the refresh token is unknown or revoked.</summary>
    public const string InvalidRefreshToken = "invalid_refresh_token";

    /// <summary>401: the refresh token has expired.</summary>
    public const string RefreshTokenExpired = "refresh_token_expired";

    /// <summary>403: the caller may not do this.</summary>
    public const string Forbidden = "forbidden";

    /// <summary>404: the resource does not exist.</summary>
    public const string NotFound = "not_found";

    /// <summary>409: another product of the store has this SKU.</summary>
    public const string DuplicateSku = "duplicate_sku";

    /// <summary>409: the idempotency key was used before for a different request.</summary>
    public const string IdempotencyKeyReused = "idempotency_key_reused";

    /// <summary>413: the request body is over the endpoint's limit.</summary>
    public const string PayloadTooLarge = "payload_too_large";

    /// <summary>POS sync item: not valid JSON or not an object.</summary>
    public const string Malformed = "malformed";

    /// <summary>POS sync item: larger than the server's item limit.</summary>
    public const string Oversized = "oversized";

    /// <summary>POS sync item: the id is not a UUID.</summary>
    public const string InvalidId = "invalid_id";

    /// <summary>All codes.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        ValidationFailed, MalformedRequest, Unauthorized, InvalidCredentials, AccountDisabled, InvalidRefreshToken,
        RefreshTokenExpired, Forbidden, NotFound, DuplicateSku, IdempotencyKeyReused, PayloadTooLarge, Malformed, Oversized,
        InvalidId,
    ];
}
