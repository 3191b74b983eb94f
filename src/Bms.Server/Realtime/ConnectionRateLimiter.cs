using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Bms.Server.Realtime;

/// <summary>
/// Limits new socket connections per user (or terminal) and per IP address with sliding one-minute windows.
/// Singleton; thread-safe.
/// </summary>
internal sealed class ConnectionRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> perUser;
    private readonly PartitionedRateLimiter<string> perIp;

    public ConnectionRateLimiter(IOptions<BmsRealtimeOptions> options)
    {
        var o = options.Value;
        perUser = Create(o.ConnectionsPerUserPerMinute);
        perIp = Create(o.ConnectionsPerIpPerMinute);
    }

    /// <summary>Takes one connection permit for the IP; false when over the limit.</summary>
    public bool TryAcquireForIp(string address) => Acquire(perIp, address);

    /// <summary>Takes one connection permit for the principal; false when over the limit.</summary>
    public bool TryAcquireForUser(string actor) => Acquire(perUser, actor);

    public void Dispose()
    {
        perUser.Dispose();
        perIp.Dispose();
    }

    private static bool Acquire(PartitionedRateLimiter<string> limiter, string key)
    {
        // Permits of a sliding window are returned by time, not by the lease; disposing it is correct.
        using var lease = limiter.AttemptAcquire(key);
        return lease.IsAcquired;
    }

    private static PartitionedRateLimiter<string> Create(int permitsPerMinute) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetSlidingWindowLimiter(
            key,
            _ => new SlidingWindowRateLimiterOptions
            {
                PermitLimit = permitsPerMinute,
                Window = TimeSpan.FromMinutes(1),
                SegmentsPerWindow = 6,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
}
