using System.Diagnostics.Metrics;
using Bms.Server.Realtime;

namespace Bms.Server.RealtimeAuthorization;

/// <summary>
/// Counters of the backend's socket security, on meter <c>Bms.Server</c>: auth failures, rate-limit rejections,
/// refused events and forced disconnects. Singleton; thread-safe. Every tag value comes from a fixed set (the
/// backend's namespaces, its known client events, the reasons listed below, else <c>other</c>), never from a string a
/// client chose, so the number of time series stays bounded whatever clients send.
/// </summary>
internal sealed class RealtimeSecurityMetrics
{
    public const string MeterName = "Bms.Server";

    private readonly Counter<long> authFailures;
    private readonly Counter<long> rateLimited;
    private readonly Counter<long> refused;
    private readonly Counter<long> forcedDisconnects;

    public RealtimeSecurityMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        authFailures = meter.CreateCounter<long>("bms.realtime.auth.failures", description: "Socket connections refused by authentication or namespace role.");
        rateLimited = meter.CreateCounter<long>("bms.realtime.rate_limited", description: "Connections and events rejected by a rate or size limit.");
        refused = meter.CreateCounter<long>("bms.realtime.events.refused", description: "Client events refused by the event authorization table.");
        forcedDisconnects = meter.CreateCounter<long>("bms.realtime.forced_disconnects", description: "Sockets disconnected by the backend (abuse, token expiry, refreshed token without the namespace's role).");
    }

    /// <param name="namespace">The namespace name.</param>
    /// <param name="reason"><c>unauthorized</c>, <c>token_expired</c>, <c>token_revoked</c> or <c>forbidden</c>.</param>
    public void AuthFailed(string @namespace, string reason) =>
        authFailures.Add(1, new("namespace", RealtimeNamespaces.Tag(@namespace)), new("reason", reason));

    /// <param name="namespace">The namespace name.</param>
    /// <param name="kind"><c>connections_user</c>, <c>connections_ip</c>, <c>events</c> or <c>payload</c>.</param>
    public void RateLimited(string @namespace, string kind) =>
        rateLimited.Add(1, new("namespace", RealtimeNamespaces.Tag(@namespace)), new("kind", kind));

    /// <param name="namespace">The namespace name.</param>
    /// <param name="eventName">The event name as received; counted under <c>other</c> unless the backend knows it.</param>
    public void EventRefused(string @namespace, string eventName) =>
        refused.Add(1, new("namespace", RealtimeNamespaces.Tag(@namespace)), new("event", ClientEventTags.Tag(eventName)));

    /// <param name="namespace">The namespace name.</param>
    /// <param name="reason">
    /// <c>abuse</c>, <c>token_expired</c>, <c>token_revoked</c> (found when the socket sent an event), or <c>forbidden</c>
    /// (a refreshed token no longer allows the namespace).
    /// </param>
    public void ForcedDisconnect(string @namespace, string reason) =>
        forcedDisconnects.Add(1, new("namespace", RealtimeNamespaces.Tag(@namespace)), new("reason", reason));
}
