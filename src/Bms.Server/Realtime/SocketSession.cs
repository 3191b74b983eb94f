using System.Threading.RateLimiting;
using Bms.Server.Auth;

namespace Bms.Server.Realtime;

/// <summary>
/// The backend's state for one connected socket: who it is, its event token bucket, its recent violations and the
/// timer that disconnects it when its token expires. Thread-safe.
/// </summary>
internal sealed class SocketSession : IDisposable
{
    private readonly Lock gate = new();
    private readonly Queue<DateTimeOffset> violations = new();
    private ITimer? expiryTimer;
    private int disposed;

    public SocketSession(BmsPrincipal principal, BmsRealtimeOptions options)
    {
        Principal = principal;
        EventLimiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.EventBurst,
            TokensPerPeriod = options.EventsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    /// <summary>The authenticated caller; replaced by <c>auth:refresh</c> (same identity, new expiry).</summary>
    public BmsPrincipal Principal { get; set; }

    public TokenBucketRateLimiter EventLimiter { get; }

    /// <summary>Records a violation at <paramref name="now"/>; returns how many fall within <paramref name="window"/>.</summary>
    public int AddViolation(DateTimeOffset now, TimeSpan window)
    {
        lock (gate)
        {
            violations.Enqueue(now);
            while (violations.Count > 0 && violations.Peek() < now - window)
            {
                violations.Dequeue();
            }

            return violations.Count;
        }
    }

    /// <summary>Replaces the expiry timer (disposing the old one).</summary>
    public void SetExpiryTimer(ITimer? timer)
    {
        ITimer? old;
        lock (gate)
        {
            old = expiryTimer;
            expiryTimer = Volatile.Read(ref disposed) == 0 ? timer : null;
        }

        old?.Dispose();
        if (Volatile.Read(ref disposed) != 0)
        {
            timer?.Dispose();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        SetExpiryTimer(null);
        EventLimiter.Dispose();
    }
}
