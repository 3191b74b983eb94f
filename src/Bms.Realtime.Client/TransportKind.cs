namespace Bms.Realtime.Client;

/// <summary>An Engine.IO transport.</summary>
public enum TransportKind
{
    /// <summary>HTTP long-polling (<c>transport=polling</c>).</summary>
    Polling = 0,

    /// <summary>WebSocket (<c>transport=websocket</c>).</summary>
    WebSocket = 1,
}
