using System.Text;
using Microsoft.Extensions.Options;

namespace Bms.Server.Auth;

/// <summary>Refuses to start outside Development with the built-in key, a short key, or nonsense lifetimes.</summary>
internal sealed class JwtOptionsValidator(IHostEnvironment environment) : IValidateOptions<JwtOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.SigningKey) || Encoding.UTF8.GetByteCount(options.SigningKey) < 32)
        {
            failures.Add("Bms:Jwt:SigningKey must be at least 32 bytes.");
        }
        else if (options.SigningKey == JwtOptions.DevelopmentSigningKey && !environment.IsDevelopment())
        {
            failures.Add(
                $"Bms:Jwt:SigningKey is the built-in development key; set a secret key for the '{environment.EnvironmentName}' environment.");
        }

        if (options.AccessTokenLifetime <= TimeSpan.Zero || options.TerminalTokenLifetime <= TimeSpan.Zero
            || options.RefreshTokenLifetime <= TimeSpan.Zero)
        {
            failures.Add("Bms:Jwt token lifetimes must be positive.");
        }

        if (options.SecurityStampCacheDuration < TimeSpan.Zero)
        {
            failures.Add("Bms:Jwt:SecurityStampCacheDuration must not be negative.");
        }

        if (options.ClockSkew < TimeSpan.Zero)
        {
            failures.Add("Bms:Jwt:ClockSkew must not be negative.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
