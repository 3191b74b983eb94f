using BenchmarkDotNet.Attributes;
using Bms.Realtime.Protocol;
using Bms.Realtime.Server.Engine;

namespace Bms.Benchmarks.Codecs;

/// <summary>
/// The per-broadcast encode path of the in-memory adapter: encode the EVENT once, then build the Engine.IO frames once
/// (<see cref="PacketFrames.Create"/>); the same frames then go to every recipient. Its cost is paid once per broadcast,
/// not once per delivery.
/// </summary>
[MemoryDiagnoser]
public class BroadcastEncodeBenchmarks
{
    /// <summary>Forwarding a client's JSON payload to a room (the echo host's <c>bcast</c>).</summary>
    [Benchmark(Baseline = true)]
    public int EncodeBroadcastForwardedJson()
    {
        var packet = SocketPacketEncoder.EncodeEvent("/", "bcast", [Payloads.ForwardedPayload]);
        return PacketFrames.Create(packet).Length;
    }

    /// <summary>A server-built typed payload to a room.</summary>
    [Benchmark]
    public int EncodeBroadcastTyped()
    {
        var packet = SocketPacketEncoder.EncodeEvent("/", "bcast", [Payloads.TypedPayload]);
        return PacketFrames.Create(packet).Length;
    }

    /// <summary>A binary broadcast: text frame plus one 1 KiB attachment frame.</summary>
    [Benchmark]
    public int EncodeBroadcastBinary()
    {
        var packet = SocketPacketEncoder.EncodeEvent("/", "upload", [new { name = "receipt.pdf", file = Payloads.Attachment }]);
        return PacketFrames.Create(packet).Length;
    }
}
