using Bms.Realtime.Protocol;

namespace Bms.Realtime.Server.Engine;

/// <summary>
/// Receives what an <see cref="EngineSession"/> reads. One handler per session; calls for one session are never
/// concurrent (one read loop per transport) and arrive in order.
/// </summary>
public interface IEngineSessionHandler
{
    /// <summary>
    /// A message packet arrived. Text data is only valid during the call; binary data is owned by the handler.
    /// Throwing <see cref="ProtocolException"/> closes the session with a parse error.
    /// </summary>
    void OnMessage(EngineSession session, in EnginePacket packet);

    /// <summary>The session closed; called once.</summary>
    void OnClose(EngineSession session, EngineCloseReason reason, string? description);

    /// <summary>Called on every heartbeat tick with the current timestamp (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    void OnTick(EngineSession session, long timestamp);
}
