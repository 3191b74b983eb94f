using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bms.Server.Auth;

/// <summary>
/// Issues and validates our access tokens (HS256 JWTs). One instance for the process; thread-safe.
/// The same <see cref="ValidationParameters"/> serve the REST bearer scheme and the socket middleware.
/// </summary>
internal sealed class TokenService
{
    private readonly JwtOptions options;
    private readonly TimeProvider time;
    private readonly SecurityStampCache stamps;
    private readonly SymmetricSecurityKey key;
    private readonly JsonWebTokenHandler handler = new() { MapInboundClaims = false, SetDefaultTimesOnTokenCreation = false };

    public TokenService(IOptions<JwtOptions> options, SecurityStampCache stamps, TimeProvider time)
    {
        this.stamps = stamps;
        this.options = options.Value;
        this.time = time;
        key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(this.options.SigningKey));
        ValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = this.options.Issuer,
            ValidAudience = this.options.Audience,
            IssuerSigningKey = key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ClockSkew = this.options.ClockSkew,
            NameClaimType = BmsClaimTypes.Name,
            RoleClaimType = BmsClaimTypes.Role,
            RequireExpirationTime = true,
            LifetimeValidator = ValidateLifetime,
        };
    }

    /// <summary>Parameters for validating our tokens (issuer, audience, key, lifetime against <see cref="TimeProvider"/>).</summary>
    public TokenValidationParameters ValidationParameters { get; }

    public JwtOptions Options => options;

    /// <summary>
    /// Creates a user access token carrying <paramref name="securityStamp"/> (the user's current
    /// <c>User.SecurityStamp</c>); returns the token and its expiry (UTC).
    /// </summary>
    public (string Token, DateTime ExpiresAt) CreateUserToken(
        int userId, string username, IEnumerable<string> roles, IEnumerable<int> storeIds, string securityStamp) =>
        Create(
            userId.ToString(CultureInfo.InvariantCulture), username, BmsClaimTypes.KindUser, roles, storeIds,
            options.AccessTokenLifetime, securityStamp);

    /// <summary>Creates a terminal access token (role <c>pos</c>, the terminal's store).</summary>
    public (string Token, DateTime ExpiresAt) CreateTerminalToken(string terminalId, int storeId) =>
        Create(terminalId, terminalId, BmsClaimTypes.KindTerminal, [Domain.Roles.Pos], [storeId],
            options.TerminalTokenLifetime, securityStamp: null);

    /// <summary>
    /// Validates a token: signature, issuer, audience, lifetime, and for a user token the security stamp against the
    /// database (through <see cref="SecurityStampCache"/>). The result says whether it failed because it expired or
    /// was revoked.
    /// </summary>
    public async Task<TokenCheck> ValidateAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return TokenCheck.Failed(TokenFailure.Missing);
        }

        var result = await handler.ValidateTokenAsync(token, ValidationParameters);
        if (!result.IsValid)
        {
            return TokenCheck.Failed(result.Exception is SecurityTokenExpiredException ? TokenFailure.Expired : TokenFailure.Invalid);
        }

        var principal = BmsPrincipal.FromClaims(new ClaimsPrincipal(result.ClaimsIdentity));
        if (principal is null)
        {
            return TokenCheck.Failed(TokenFailure.Invalid);
        }

        return await stamps.IsCurrentAsync(principal, cancellationToken) ? TokenCheck.Ok(principal) : TokenCheck.Failed(TokenFailure.Revoked);
    }

    private (string Token, DateTime ExpiresAt) Create(
        string subject, string name, string kind, IEnumerable<string> roles, IEnumerable<int> storeIds, TimeSpan lifetime,
        string? securityStamp)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var expires = now + lifetime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = expires,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object>
            {
                [BmsClaimTypes.Subject] = subject,
                [BmsClaimTypes.Name] = name,
                [BmsClaimTypes.Kind] = kind,
                [BmsClaimTypes.Role] = roles.ToArray(),
                [BmsClaimTypes.StoreId] = storeIds.Select(s => s.ToString(CultureInfo.InvariantCulture)).ToArray(),
                ["jti"] = Guid.NewGuid().ToString("N"),
            },
        };
        if (securityStamp is not null)
        {
            descriptor.Claims[BmsClaimTypes.SecurityStamp] = securityStamp;
        }

        return (handler.CreateToken(descriptor), DateTime.SpecifyKind(expires, DateTimeKind.Utc));
    }

    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (expires is null)
        {
            return false;
        }

        if (notBefore is { } nbf && nbf.ToUniversalTime() > now + parameters.ClockSkew)
        {
            return false;
        }

        if (expires.Value.ToUniversalTime() < now - parameters.ClockSkew)
        {
            throw new SecurityTokenExpiredException("The token has expired.") { Expires = expires.Value };
        }

        return true;
    }
}
