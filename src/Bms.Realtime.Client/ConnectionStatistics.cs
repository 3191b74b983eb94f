namespace Bms.Realtime.Client;

/// <summary>A snapshot of a client's traffic and connection quality (see <see cref="WebSocketClient.GetStatistics"/>).</summary>
public sealed record ConnectionStatistics
{
    /// <summary>The state when the snapshot was taken.</summary>
    public ConnectionState State { get; init; }

    /// <summary>The health derived from the other values.</summary>
    public ConnectionHealth Health { get; init; }

    /// <summary>The transport in use, null when not connected.</summary>
    public TransportKind? Transport { get; init; }

    /// <summary>The engine session id, null when not connected.</summary>
    public string? EngineSid { get; init; }

    /// <summary>Last measured round trip (handshake, namespace CONNECT or latency probe), null before the first one.</summary>
    public TimeSpan? Latency { get; init; }

    /// <summary>When the last packet was received.</summary>
    public DateTimeOffset? LastPacketReceivedAt { get; init; }

    /// <summary>When the last server ping was received.</summary>
    public DateTimeOffset? LastPingAt { get; init; }

    /// <summary>When the current connection opened.</summary>
    public DateTimeOffset? ConnectedSince { get; init; }

    /// <summary>Successful reconnects since the client was created.</summary>
    public long ReconnectCount { get; init; }

    /// <summary>Current consecutive failed attempts (0 when connected).</summary>
    public int ReconnectAttempts { get; init; }

    /// <summary>Engine.IO packets received.</summary>
    public long PacketsReceived { get; init; }

    /// <summary>Engine.IO packets sent.</summary>
    public long PacketsSent { get; init; }

    /// <summary>Bytes received (frame or payload bytes).</summary>
    public long BytesReceived { get; init; }

    /// <summary>Bytes sent.</summary>
    public long BytesSent { get; init; }

    /// <summary>Emits currently waiting in the send buffers of all namespace sockets.</summary>
    public int BufferedEmits { get; init; }

    /// <summary>Emits dropped since the client was created (full buffer, or volatile while disconnected).</summary>
    public long DroppedEmits { get; init; }
}
