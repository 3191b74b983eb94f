namespace Bms.Realtime.Client;

/// <summary>
/// socket.io-client's backoff: <c>min(initial × 2^(attempt-1), max)</c>, then randomized by ±<c>randomization</c>
/// (the result stays within <c>[delay × (1 − r), delay × (1 + r)]</c> and never above <c>max</c>).
/// Defaults: 1 s initial, 5 s max, 0.5 randomization, unlimited attempts. Thread-safe.
/// </summary>
public sealed class ExponentialBackoffRetryPolicy : IRetryPolicy
{
    private readonly Random _random;

    /// <summary>Creates the policy.</summary>
    /// <param name="initialDelay">Delay before the first retry. Default 1 s.</param>
    /// <param name="maxDelay">Upper bound for any delay. Default 5 s.</param>
    /// <param name="randomizationFactor">Jitter in [0, 1]. Default 0.5.</param>
    /// <param name="maxAttempts">Null for unlimited (default).</param>
    /// <param name="random">Random source (tests pass a seeded one).</param>
    public ExponentialBackoffRetryPolicy(
        TimeSpan? initialDelay = null,
        TimeSpan? maxDelay = null,
        double randomizationFactor = 0.5,
        int? maxAttempts = null,
        Random? random = null)
    {
        InitialDelay = initialDelay ?? TimeSpan.FromSeconds(1);
        MaxDelay = maxDelay ?? TimeSpan.FromSeconds(5);
        ArgumentOutOfRangeException.ThrowIfLessThan(InitialDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDelay, InitialDelay);
        ArgumentOutOfRangeException.ThrowIfNegative(randomizationFactor);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(randomizationFactor, 1);
        RandomizationFactor = randomizationFactor;
        MaxAttempts = maxAttempts;
        _random = random ?? Random.Shared;
    }

    /// <summary>Delay before the first retry.</summary>
    public TimeSpan InitialDelay { get; }

    /// <summary>Upper bound for any delay.</summary>
    public TimeSpan MaxDelay { get; }

    /// <summary>Jitter factor in [0, 1].</summary>
    public double RandomizationFactor { get; }

    /// <summary>Maximum number of attempts; null for unlimited.</summary>
    public int? MaxAttempts { get; }

    /// <inheritdoc />
    public TimeSpan? NextRetryDelay(RetryContext context)
    {
        if (MaxAttempts is { } max && context.Attempt > max)
        {
            return null;
        }

        var exponent = Math.Min(Math.Max(context.Attempt - 1, 0), 30);
        var baseMs = Math.Min(InitialDelay.TotalMilliseconds * Math.Pow(2, exponent), MaxDelay.TotalMilliseconds);
        if (RandomizationFactor > 0)
        {
            double sample;
            lock (_random)
            {
                sample = _random.NextDouble();
            }

            var deviation = sample * RandomizationFactor * baseMs;
            baseMs = sample < 0.5 ? baseMs - deviation : baseMs + deviation;
        }

        return TimeSpan.FromMilliseconds(Math.Clamp(baseMs, 0, MaxDelay.TotalMilliseconds));
    }
}
