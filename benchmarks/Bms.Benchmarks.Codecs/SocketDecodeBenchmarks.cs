using BenchmarkDotNet.Attributes;
using Bms.Realtime.Protocol;

namespace Bms.Benchmarks.Codecs;

/// <summary>Decoding what clients send. The target: a text EVENT allocates nothing beyond its argument values.</summary>
[MemoryDiagnoser]
public class SocketDecodeBenchmarks
{
    private readonly SocketPacketDecoder _decoder = new();

    /// <summary>Engine.IO frame to packet type (no copy expected).</summary>
    [Benchmark]
    public EnginePacketType ParseEngineFrame() => EnginePacketParser.ParseText(Payloads.BcastEngineFrame).Type;

    /// <summary>A text EVENT as the server's read loop sees it (<c>2["bcast","bench",{…}]</c>).</summary>
    [Benchmark(Baseline = true)]
    public string? DecodeTextEvent() => _decoder.DecodeText(Payloads.BcastEventText)!.EventName;

    /// <summary>A text EVENT, then reading its arguments the way a handler does (room as string, payload as JsonElement).</summary>
    [Benchmark]
    public int DecodeTextEventAndReadArguments()
    {
        var packet = _decoder.DecodeText(Payloads.BcastEventText)!;
        var args = packet.Arguments;
        var room = args.Get<string>(0);
        return room!.Length + args.GetRaw(1).GetArrayLength_OrPropertyCount();
    }

    /// <summary>An EVENT with an ack id (<c>212["echo",{…}]</c>).</summary>
    [Benchmark]
    public long? DecodeTextEventWithAck() => _decoder.DecodeText(Payloads.EchoEventText)!.Id;

    /// <summary>A BINARY_EVENT header plus its one attachment, reassembled.</summary>
    [Benchmark]
    public int DecodeBinaryEvent()
    {
        _decoder.DecodeText(Payloads.BinaryEventText);
        return _decoder.DecodeBinary(Payloads.Attachment)!.Attachments.Count;
    }
}
