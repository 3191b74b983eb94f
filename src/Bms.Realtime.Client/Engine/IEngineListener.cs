using Bms.Realtime.Protocol;

namespace Bms.Realtime.Client.Engine;

/// <summary>Receives what an <see cref="EngineConnection"/> reads. Called from the connection's single read loop, in order.</summary>
internal interface IEngineListener
{
    /// <summary>An Engine.IO message (text or binary). The data is only valid during the call.</summary>
    void OnMessage(EngineConnection connection, EnginePacket packet);

    /// <summary>The transport changed (upgrade from polling to WebSocket).</summary>
    void OnTransportChanged(EngineConnection connection, TransportKind transport);
}
