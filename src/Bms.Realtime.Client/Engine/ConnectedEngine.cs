using Bms.Realtime.Protocol;

namespace Bms.Realtime.Client.Engine;

/// <summary>One engine connection and the Socket.IO decoder that belongs to it (the decoder is stateful per connection).</summary>
internal sealed class ConnectedEngine
{
    public ConnectedEngine(EngineConnection engine)
    {
        Engine = engine;
    }

    public EngineConnection Engine { get; }

    /// <summary>Client side: packets are validated as sent by a server. Used only by the engine's read loop.</summary>
    public SocketPacketDecoder Decoder { get; } = new(new SocketDecoderOptions { FromClient = false });

    /// <summary>Queues a packet; false when the engine is closed.</summary>
    public bool Send(EncodedPacket packet) => Engine.Send(packet);
}
