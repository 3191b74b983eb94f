namespace Bms.Contracts;

/// <summary>The closed set of <c>error</c> values in acknowledgements and <c>error</c> events.</summary>
public static class AckErrorCodes
{
    /// <summary>The caller may not do this (role, store or event not allowed on the namespace).</summary>
    public const string Forbidden = "forbidden";

    /// <summary>The room name is not one of <see cref="Rooms"/>' forms.</summary>
    public const string InvalidRoom = "invalid_room";

    /// <summary>The arguments are missing or malformed.</summary>
    public const string InvalidPayload = "invalid_payload";

    /// <summary>Too many events or a payload over the limit; repeated violations disconnect.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>The token is invalid.</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>The token has expired.</summary>
    public const string TokenExpired = "token_expired";

    /// <summary>The server failed while handling the event.</summary>
    public const string InternalError = "internal_error";

    /// <summary>A <c>subscribe</c> or <c>unsubscribe</c> request is malformed (unknown field, wrong type, too many clauses); the ack has a <c>detail</c>.</summary>
    public const string InvalidFilter = "invalid_filter";

    /// <summary>The socket already has the most subscriptions it may hold.</summary>
    public const string TooManySubscriptions = "too_many_subscriptions";

    /// <summary>No subscription of this socket has the id given to <c>unsubscribe</c>.</summary>
    public const string NotFound = "not_found";

    /// <summary>All codes.</summary>
    public static IReadOnlyList<string> All { get; } = [Forbidden, InvalidRoom, InvalidPayload, RateLimited, Unauthorized, TokenExpired, InternalError, InvalidFilter, TooManySubscriptions, NotFound];
}
