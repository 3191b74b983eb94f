using System.Buffers;
using BenchmarkDotNet.Attributes;
using Bms.Realtime.Protocol;

namespace Bms.Benchmarks.Codecs;

/// <summary>HTTP long-polling bodies: 0x1e-separated packets, binary as <c>b</c>+base64.</summary>
[MemoryDiagnoser]
public class EnginePayloadBenchmarks
{
    private readonly ArrayBufferWriter<byte> _writer = new(4096);
    private EnginePacket[] _packets = [];

    [GlobalSetup]
    public void Setup() => _packets = [.. EnginePayload.Decode(Payloads.PollingPayload)];

    /// <summary>A POST body with two text packets and one binary packet.</summary>
    [Benchmark]
    public int DecodePollingPayload() => EnginePayload.Decode(Payloads.PollingPayload).Count;

    /// <summary>The same three packets written as a GET response body.</summary>
    [Benchmark]
    public int EncodePollingPayload()
    {
        _writer.ResetWrittenCount();
        EnginePayload.Encode(_writer, _packets);
        return _writer.WrittenCount;
    }
}
