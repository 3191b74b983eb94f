namespace Bms.Web.Client.Models;

/// <summary>
/// Settings the host hands to the browser app with the page (root component parameters): the reconnection backoff
/// of <c>Bms:Dashboard</c>. Null members keep the defaults of <see cref="Bms.Web.Components.Services.RealtimeConnectionOptions"/>.
/// </summary>
public sealed record DashboardClientSettings
{
    /// <summary>Delay before the first reconnection attempt.</summary>
    public TimeSpan? ReconnectionDelay { get; init; }

    /// <summary>Maximum delay between reconnection attempts.</summary>
    public TimeSpan? ReconnectionDelayMax { get; init; }
}
