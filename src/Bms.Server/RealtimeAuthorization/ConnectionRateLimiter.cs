using System.Threading.RateLimiting;
using Bms.Realtime.Server.Namespaces;
using Bms.Server.Hosting;
using Microsoft.Extensions.Options;
using Bms.Server.Realtime;

namespace Bms.Server.RealtimeAuthorization;

/// <summary>
/// Limits new socket connections with sliding one-minute windows, in two separate buckets so that failed attempts
/// never lock out valid users: authenticated connections are charged to their user (or terminal)
/// (<see cref="BmsRealtimeOptions.ConnectionsPerUserPerMinute"/>); attempts that fail authentication or are refused
/// the namespace are charged to the client address (<see cref="BmsRealtimeOptions.ConnectionsPerIpPerMinute"/>), resolved
/// through the trusted proxies. Singleton; thread-safe.
/// </summary>
internal sealed class ConnectionRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> perUser;
    private readonly PartitionedRateLimiter<string> failuresPerIp;
    private readonly ClientAddressResolver addresses;

    public ConnectionRateLimiter(IOptions<BmsRealtimeOptions> options, ClientAddressResolver addresses)
    {
        var o = options.Value;
        perUser = Create(o.ConnectionsPerUserPerMinute);
        failuresPerIp = Create(o.ConnectionsPerIpPerMinute);
        this.addresses = addresses;
    }

    /// <summary>
    /// The rate-limiting key of the client that sent <paramref name="handshake"/>: the TCP peer, or the address it
    /// forwarded for when it is a trusted proxy (IPv6 by /64).
    /// </summary>
    public string ClientAddress(SocketHandshake handshake) =>
        ClientAddressResolver.PartitionKey(addresses.Resolve(handshake.Address, handshake.Headers));

    /// <summary>Charges one failed or refused attempt to the address; false when the address is over its limit.</summary>
    public bool TryAcquireFailureForIp(string address) => Acquire(failuresPerIp, address);

    /// <summary>Takes one connection permit for the principal; false when over the limit.</summary>
    public bool TryAcquireForUser(string actor) => Acquire(perUser, actor);

    public void Dispose()
    {
        perUser.Dispose();
        failuresPerIp.Dispose();
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
