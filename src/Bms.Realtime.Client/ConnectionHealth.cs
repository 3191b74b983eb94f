namespace Bms.Realtime.Client;

/// <summary>A coarse health value derived from state, heartbeat and latency (see <see cref="WebSocketClient.Health"/>).</summary>
public enum ConnectionHealth
{
    /// <summary>Connected, heartbeat on time, latency under <see cref="WebSocketClientOptions.DegradedLatency"/>.</summary>
    Healthy = 0,

    /// <summary>Connected but slow: high latency, a late heartbeat, emits waiting in the send buffer, or HTTP long-polling only.</summary>
    Degraded = 1,

    /// <summary>Not connected.</summary>
    Unhealthy = 2,
}
