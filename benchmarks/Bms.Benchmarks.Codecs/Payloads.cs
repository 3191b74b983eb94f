using System.Text;
using System.Text.Json;

namespace Bms.Benchmarks.Codecs;

/// <summary>The messages the load generator sends, so micro and macro benchmarks measure the same shapes.</summary>
internal static class Payloads
{
    /// <summary>What a broadcasting client sends: <c>42["bcast","bench",{"t":…,"a":…,"p":"…"}]</c> without the Engine.IO digit.</summary>
    public static readonly byte[] BcastEventText =
        Encoding.UTF8.GetBytes("2[\"bcast\",\"bench\",{\"t\":1764094511123456,\"a\":1764094511123461,\"p\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}]");

    /// <summary>An echo with an ack id.</summary>
    public static readonly byte[] EchoEventText =
        Encoding.UTF8.GetBytes("212[\"echo\",{\"t\":1764094511123456,\"a\":1764094511123461,\"p\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}]");

    /// <summary>The same frame with the Engine.IO message digit, as it arrives on a WebSocket.</summary>
    public static readonly byte[] BcastEngineFrame = [(byte)'4', .. BcastEventText];

    /// <summary>A binary event header with one placeholder; its attachment follows as a binary frame.</summary>
    public static readonly byte[] BinaryEventText =
        Encoding.UTF8.GetBytes("51-[\"upload\",{\"name\":\"receipt.pdf\",\"file\":{\"_placeholder\":true,\"num\":0}}]");

    public static readonly byte[] Attachment = Enumerable.Range(0, 1024).Select(i => (byte)i).ToArray();

    /// <summary>A polling POST body: two text packets and a base64 binary packet, 0x1e-separated.</summary>
    public static readonly byte[] PollingPayload = Encoding.UTF8.GetBytes(
        "42[\"bcast\",\"bench\",{\"t\":1,\"p\":\"xxxxxxxx\"}]\u001e42[\"echo\",{\"t\":2}]\u001eb"
        + Convert.ToBase64String(Attachment));

    /// <summary>The payload object a server forwards (what `bcast` re-emits: the client's JSON, untouched).</summary>
    public static readonly JsonElement ForwardedPayload =
        JsonDocument.Parse("{\"t\":1764094511123456,\"a\":1764094511123461,\"p\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}").RootElement.Clone();

    /// <summary>A typed payload a server might build itself.</summary>
    public static readonly Stamp TypedPayload = new(1764094511123456, 1764094511123461, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
}

/// <summary>The benchmark payload as a record.</summary>
internal sealed record Stamp(long T, long A, string P);
