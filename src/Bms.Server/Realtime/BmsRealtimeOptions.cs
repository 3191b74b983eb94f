namespace Bms.Server.Realtime;

/// <summary>Real-time security settings, bound from <c>Bms:Realtime</c>. Validated at start.</summary>
public sealed class BmsRealtimeOptions
{
    /// <summary>New connections one user or terminal may open per minute, over all namespaces. Default 60.</summary>
    public int ConnectionsPerUserPerMinute { get; set; } = 60;

    /// <summary>
    /// Connection attempts that fail authentication (no, invalid or expired token) or are refused the namespace, per
    /// client address per minute, over all namespaces; beyond it such attempts are answered <c>rate_limited</c>.
    /// Authenticated connections are not charged here (they count per user), so failed attempts from an address never
    /// lock out a valid user behind it. The address is resolved through <c>Bms:TrustedProxies</c>. Default 300.
    /// </summary>
    public int ConnectionsPerIpPerMinute { get; set; } = 300;

    /// <summary>Token bucket size for client events per socket (the burst). Default 30.</summary>
    public int EventBurst { get; set; } = 30;

    /// <summary>Tokens added to each socket's bucket per second. Default 10.</summary>
    public int EventsPerSecond { get; set; } = 10;

    /// <summary>Largest accepted event, in bytes of JSON arguments plus binary attachments. Default 16 KiB.</summary>
    public int MaxEventPayloadBytes { get; set; } = 16 * 1024;

    /// <summary>Violations (rate or size) within <see cref="ViolationWindow"/> after which the socket is disconnected. Default 5.</summary>
    public int ViolationsBeforeDisconnect { get; set; } = 5;

    /// <summary>Window for counting violations. Default 10 seconds.</summary>
    public TimeSpan ViolationWindow { get; set; } = TimeSpan.FromSeconds(10);
}
