namespace Bms.Server.Auth;

/// <summary>Token settings, bound from <c>Bms:Jwt</c>. Validated at start by <see cref="JwtOptionsValidator"/>.</summary>
public sealed class JwtOptions
{
    /// <summary>
    /// The built-in key used when none is configured. Accepted only in the Development environment: the server
    /// refuses to start anywhere else while this key (or no key) is in effect.
    /// </summary>
    public const string DevelopmentSigningKey = "bms-development-signing-key-do-not-use-in-production-0123456789";

    /// <summary>Issuer (<c>iss</c>) written and required. Default <c>bms</c>.</summary>
    public string Issuer { get; set; } = "bms";

    /// <summary>Audience (<c>aud</c>) written and required. Default <c>bms</c>.</summary>
    public string Audience { get; set; } = "bms";

    /// <summary>HMAC-SHA256 key, at least 32 bytes of UTF-8. Default: <see cref="DevelopmentSigningKey"/>.</summary>
    public string SigningKey { get; set; } = DevelopmentSigningKey;

    /// <summary>Lifetime of a user access token. Default 15 minutes.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Lifetime of a refresh token. Default 14 days.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Lifetime of a terminal access token. Default 12 hours.</summary>
    public TimeSpan TerminalTokenLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// How long a node trusts a user's security stamp (and active flag) read from the database before reading it again.
    /// A change made on this node takes effect at once; on another node at once when it receives the change through the
    /// real-time cluster adapter, and within this duration in any case. Zero reads the database for every check.
    /// Default 5 seconds.
    /// </summary>
    public TimeSpan SecurityStampCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Tolerated clock difference when checking <c>exp</c>/<c>nbf</c>. Default 5 seconds.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(5);
}
