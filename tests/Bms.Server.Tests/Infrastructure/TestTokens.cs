using System.Text;
using Bms.Server.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bms.Server.Tests.Infrastructure;

/// <summary>Test helper: mints JWTs the way an attacker or a stale client would (other key, past expiry).</summary>
public static class TestTokens
{
    public const string ForeignKey = "a-completely-different-key-that-the-server-does-not-know-0123456789";

    /// <summary>
    /// Creates a token for user <paramref name="subject"/> with the given key and lifetime. The server accepts a user
    /// token only with the user's current security stamp (<see cref="BmsServerHost.SecurityStampAsync"/>).
    /// </summary>
    public static string Create(
        string subject = "1", string role = "admin", string key = JwtOptions.DevelopmentSigningKey,
        DateTime? expires = null, DateTime? issuedAt = null, int storeId = 1, string kind = "user", string? stamp = null)
    {
        var now = DateTime.UtcNow;
        var exp = expires ?? now.AddMinutes(15);
        var iat = issuedAt ?? (exp < now ? exp.AddMinutes(-15) : now);
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = "bms",
            Audience = "bms",
            IssuedAt = iat,
            NotBefore = iat,
            Expires = exp,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = subject,
                ["name"] = subject,
                ["kind"] = kind,
                ["role"] = new[] { role },
                ["store_id"] = new[] { storeId.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            },
        };
        if (stamp is not null)
        {
            descriptor.Claims["sstamp"] = stamp;
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }
}
