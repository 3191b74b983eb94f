namespace Bms.Server.Auth;

/// <summary>
/// Limits on sign-in (<c>POST /api/auth/login</c>, <c>/api/auth/refresh</c>, <c>/api/auth/terminal</c> and the
/// dashboard's sign-in form), bound from <c>Bms:SignIn</c> and validated at start. The client address is the one after
/// trusted-proxy resolution (<c>Bms:TrustedProxies</c>).
/// </summary>
public sealed class SignInLimitOptions
{
    /// <summary>
    /// Sign-in attempts (successful or not, over all four entry points) one client address may make per
    /// <see cref="AddressWindow"/>. Default 30.
    /// </summary>
    public int AttemptsPerAddress { get; set; } = 30;

    /// <summary>Sliding window of <see cref="AttemptsPerAddress"/>. Default 1 minute.</summary>
    public TimeSpan AddressWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Failed attempts one username (or terminal id) may collect per <see cref="NameWindow"/>, from any address; once
    /// reached, further attempts for that name are refused without checking the password until the window slides.
    /// Default 10.
    /// </summary>
    public int FailuresPerName { get; set; } = 10;

    /// <summary>Sliding window of <see cref="FailuresPerName"/>. Default 5 minutes.</summary>
    public TimeSpan NameWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Password (or terminal secret) hashes the server computes at the same time, over all requests. Default half the
    /// processors, at least 1, so a flood of sign-ins cannot take every core from the API and the sockets.
    /// </summary>
    public int MaxConcurrentHashes { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>Sign-ins that may wait for a hashing slot; beyond it they are answered 503 at once. Default 32.</summary>
    public int HashQueueLimit { get; set; } = 32;

    /// <summary>How long a sign-in waits for a hashing slot before it is answered 503. Default 2 seconds.</summary>
    public TimeSpan HashQueueTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
