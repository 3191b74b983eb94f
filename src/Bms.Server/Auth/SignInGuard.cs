using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Threading.RateLimiting;
using Bms.Server.Api;
using Bms.Server.Domain;
using Bms.Server.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Bms.Server.Auth;

/// <summary>
/// Keeps sign-in from being a denial-of-service lever or a username oracle: attempts per client address and failures
/// per username (or terminal id) in sliding windows, a bound on the password hashes computed at once, and dummy hashes
/// so an unknown or disabled account costs the same hashing work as a wrong password. Singleton; thread-safe.
/// </summary>
internal sealed partial class SignInGuard : IDisposable
{
    private readonly SignInLimitOptions options;
    private readonly PartitionedRateLimiter<string> attemptsPerAddress;
    private readonly PartitionedRateLimiter<string> failuresPerName;
    private readonly ConcurrencyLimiter hashing;
    private readonly Lazy<string> dummyUserHash;
    private readonly Lazy<string> dummyTerminalHash;
    private readonly ILogger<SignInGuard> logger;

    public SignInGuard(
        IOptions<SignInLimitOptions> options, IPasswordHasher<User> userHasher, IPasswordHasher<Terminal> terminalHasher, ILogger<SignInGuard> logger)
    {
        this.logger = logger;
        this.options = options.Value;
        attemptsPerAddress = SlidingWindow(this.options.AttemptsPerAddress, this.options.AddressWindow);
        failuresPerName = SlidingWindow(this.options.FailuresPerName, this.options.NameWindow);
        hashing = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = this.options.MaxConcurrentHashes,
            QueueLimit = this.options.HashQueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });

        // Hashes of random secrets with the configured hasher settings, so verifying against them takes as long as a
        // real account's check.
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        dummyUserHash = new(() => userHasher.HashPassword(new User { Username = "" }, secret));
        dummyTerminalHash = new(() => terminalHasher.HashPassword(new Terminal { Id = "" }, secret));
    }

    /// <summary>A user hash no password matches (for unknown and disabled users).</summary>
    public string DummyUserHash => dummyUserHash.Value;

    /// <summary>A terminal secret hash no secret matches (for unknown and disabled terminals).</summary>
    public string DummyTerminalHash => dummyTerminalHash.Value;

    /// <summary>The failure key of a username (already trimmed and lower-cased).</summary>
    public static string UserKey(string username) => "user:" + username;

    /// <summary>The failure key of a terminal id.</summary>
    public static string TerminalKey(string terminalId) => "terminal:" + terminalId.ToLowerInvariant();

    /// <summary>
    /// Charges one attempt to the client address (none when the address is unknown, as for the server's own refreshes);
    /// throws a 429 <see cref="ApiException"/> with code <c>too_many_attempts</c> when the address is over its limit.
    /// </summary>
    public void ChargeAddress(IPAddress? address)
    {
        if (address is null)
        {
            return;
        }

        var key = ClientAddressResolver.PartitionKey(address);
        using var lease = attemptsPerAddress.AttemptAcquire(key);
        if (!lease.IsAcquired)
        {
            Log.AddressLimited(logger, key);
            throw TooManyAttempts(lease, options.AddressWindow);
        }
    }

    /// <summary>Throws a 429 <see cref="ApiException"/> when <paramref name="key"/> has used up its failures.</summary>
    public void CheckName(string key)
    {
        // Zero permits only asks whether any are left: a success is charged only when it turns out to be a failure.
        using var lease = failuresPerName.AttemptAcquire(key, 0);
        if (!lease.IsAcquired)
        {
            Log.NameLimited(logger, key);
            throw TooManyAttempts(lease, options.NameWindow);
        }
    }

    /// <summary>Charges one failed attempt to <paramref name="key"/>.</summary>
    public void RecordFailure(string key)
    {
        using var lease = failuresPerName.AttemptAcquire(key);
    }

    /// <summary>
    /// Waits (up to <see cref="SignInLimitOptions.HashQueueTimeout"/>) for a hashing slot; dispose the result when the hash
    /// is done. Throws a 503 <see cref="ApiException"/> with code <c>sign_in_busy</c> when the queue is full or the
    /// wait times out.
    /// </summary>
    public async ValueTask<RateLimitLease> EnterHashingAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.HashQueueTimeout);
        RateLimitLease lease;
        try
        {
            lease = await hashing.AcquireAsync(1, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Busy();
        }

        if (!lease.IsAcquired)
        {
            lease.Dispose();
            throw Busy();
        }

        return lease;
    }

    public void Dispose()
    {
        attemptsPerAddress.Dispose();
        failuresPerName.Dispose();
        hashing.Dispose();
    }

    private static PartitionedRateLimiter<string> SlidingWindow(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetSlidingWindowLimiter(
            key,
            _ => new SlidingWindowRateLimiterOptions
            {
                PermitLimit = permits,
                Window = window,
                SegmentsPerWindow = 6,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));

    private static ApiException TooManyAttempts(RateLimitLease lease, TimeSpan window)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero ? after : window / 6;
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        return new ApiException(
            StatusCodes.Status429TooManyRequests,
            "Too Many Requests",
            $"Too many sign-in attempts; try again in {seconds.ToString(CultureInfo.InvariantCulture)} s.",
            "too_many_attempts")
        {
            RetryAfter = TimeSpan.FromSeconds(seconds),
        };
    }

    private ApiException Busy()
    {
        Log.HashingBusy(logger);
        return new(StatusCodes.Status503ServiceUnavailable, "Service Unavailable", "The server is busy with other sign-ins; try again shortly.", "sign_in_busy")
        {
            RetryAfter = TimeSpan.FromSeconds(1),
        };
    }
}
