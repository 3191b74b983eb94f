using Microsoft.Extensions.Options;

namespace Bms.Server.Auth;

/// <summary>Refuses to start with sign-in limits that are not positive.</summary>
internal sealed class SignInLimitOptionsValidator : IValidateOptions<SignInLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, SignInLimitOptions options)
    {
        var failures = new List<string>();
        if (options.AttemptsPerAddress <= 0 || options.AddressWindow <= TimeSpan.Zero)
        {
            failures.Add("Bms:SignIn:AttemptsPerAddress and AddressWindow must be positive.");
        }

        if (options.FailuresPerName <= 0 || options.NameWindow <= TimeSpan.Zero)
        {
            failures.Add("Bms:SignIn:FailuresPerName and NameWindow must be positive.");
        }

        if (options.MaxConcurrentHashes <= 0)
        {
            failures.Add("Bms:SignIn:MaxConcurrentHashes must be positive.");
        }

        if (options.HashQueueLimit < 0 || options.HashQueueTimeout < TimeSpan.Zero)
        {
            failures.Add("Bms:SignIn:HashQueueLimit and HashQueueTimeout must not be negative.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
