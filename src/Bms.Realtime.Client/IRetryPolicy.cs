namespace Bms.Realtime.Client;

/// <summary>
/// Decides how long to wait before each reconnection attempt. Implementations must be thread-safe;
/// the client calls <see cref="NextRetryDelay"/> from its connection loop only.
/// </summary>
public interface IRetryPolicy
{
    /// <summary>The delay before attempt <see cref="RetryContext.Attempt"/>, or null to stop retrying.</summary>
    TimeSpan? NextRetryDelay(RetryContext context);
}
