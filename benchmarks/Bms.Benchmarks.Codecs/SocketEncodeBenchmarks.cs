using BenchmarkDotNet.Attributes;
using Bms.Realtime.Protocol;

namespace Bms.Benchmarks.Codecs;

/// <summary>Encoding what the server sends to one socket.</summary>
[MemoryDiagnoser]
public class SocketEncodeBenchmarks
{
    /// <summary>EVENT with a typed payload: <c>2["bcast",{"t":…,"a":…,"p":"…"}]</c>.</summary>
    [Benchmark(Baseline = true)]
    public int EncodeEventTyped() => SocketPacketEncoder.EncodeEvent("/", "bcast", [Payloads.TypedPayload]).Text.Length;

    /// <summary>EVENT forwarding a client's JSON untouched (what the echo host's <c>bcast</c> does).</summary>
    [Benchmark]
    public int EncodeEventForwardedJson() => SocketPacketEncoder.EncodeEvent("/", "bcast", [Payloads.ForwardedPayload]).Text.Length;

    /// <summary>ACK answering an echo: <c>312[{…}]</c>.</summary>
    [Benchmark]
    public int EncodeAck() => SocketPacketEncoder.EncodeAck("/", 12, [Payloads.ForwardedPayload]).Text.Length;

    /// <summary>BINARY_EVENT: a 1 KiB byte[] becomes a placeholder plus one attachment.</summary>
    [Benchmark]
    public int EncodeBinaryEvent() =>
        SocketPacketEncoder.EncodeEvent("/", "upload", [new { name = "receipt.pdf", file = Payloads.Attachment }]).Attachments.Count;
}
