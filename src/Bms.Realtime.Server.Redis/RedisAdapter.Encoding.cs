using System.Buffers;
using System.Text.Json;
using Bms.Realtime.Protocol;
using Bms.Realtime.Server.Adapters;
using MessagePack;

namespace Bms.Realtime.Server.Redis;

public sealed partial class RedisAdapter
{
    private static readonly SocketDecoderOptions DecoderOptions = new() { MaxAttachments = int.MaxValue, MaxTextLength = int.MaxValue, FromClient = false };

    private delegate void MessagePackWrite(ref MessagePackWriter writer);

    private static ReadOnlyMemory<byte> EncodeMessagePack(MessagePackWrite write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var writer = new MessagePackWriter(buffer);
        write(ref writer);
        writer.Flush();
        return buffer.WrittenMemory;
    }

    /// <summary>The pub/sub message of a broadcast: <c>[uid, {type: 2, data: [event, ...args], nsp}, {rooms, except, flags}]</c>.</summary>
    private ReadOnlyMemory<byte> EncodeBroadcastMessage(string eventName, object?[] args, BroadcastOptions options) =>
        EncodeMessagePack((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(3);
            w.Write(Uid);
            WritePacket(ref w, eventName, args);
            WriteOptions(ref w, options, null);
        });

    /// <summary>A socket.io-parser packet object. Always type EVENT: the Node encoder turns it into BINARY_EVENT itself.</summary>
    private void WritePacket(ref MessagePackWriter w, string eventName, object?[] args)
    {
        // Encode with our JSON settings (binary → placeholders + attachments), then write the JSON as MessagePack
        // with the placeholders replaced by bin values: exactly what a Node peer would have put there (Buffers).
        var encoded = SocketPacketEncoder.EncodeEvent(Namespace.Name, eventName, args, null, Namespace.Server.JsonOptions);
        var decoder = new SocketPacketDecoder(DecoderOptions);
        var packet = decoder.DecodeText(encoded.Text);
        foreach (var attachment in encoded.Attachments)
        {
            packet ??= decoder.DecodeBinary(attachment);
        }

        w.WriteMapHeader(3);
        w.Write("type");
        w.Write((int)SocketPacketType.Event);
        w.Write("data");
        if (packet?.Data is { } data)
        {
            RedisPayloadCodec.Write(ref w, data, packet.Attachments);
        }
        else
        {
            w.WriteArrayHeader(1);
            w.Write(eventName);
        }

        w.Write("nsp");
        w.Write(Namespace.Name);
    }

    private static void WriteOptions(ref MessagePackWriter w, BroadcastOptions options, TimeSpan? ackTimeout)
    {
        var correlation = TraceParent;
        w.WriteMapHeader(correlation is null ? 3 : 4);
        w.Write("rooms");
        WriteStrings(ref w, options.Rooms);
        w.Write("except");
        WriteStrings(ref w, options.Except);
        w.Write("flags");

        // Only flags that are set: the Node adapter tests `flags.volatile === undefined` (recovery) and
        // `flags.compress !== false`, so an explicit false would change its behaviour.
        var flags = options.Flags;
        var count = (flags.Volatile ? 1 : 0) + (flags.Compress ? 0 : 1) + (ackTimeout is null ? 0 : 1);
        w.WriteMapHeader(count);
        if (flags.Volatile)
        {
            w.Write("volatile");
            w.Write(true);
        }

        if (!flags.Compress)
        {
            w.Write("compress");
            w.Write(false);
        }

        if (ackTimeout is { } timeout)
        {
            w.Write("timeout");
            w.Write((long)timeout.TotalMilliseconds);
        }

        if (correlation is not null)
        {
            // W3C traceparent. Not read by Node peers (they ignore unknown option keys); lets a trace follow an event across nodes.
            w.Write("bmsTrace");
            w.Write(correlation);
        }
    }

    private static void WriteStrings(ref MessagePackWriter w, IReadOnlyCollection<string> values)
    {
        w.WriteArrayHeader(values.Count);
        foreach (var value in values)
        {
            w.Write(value);
        }
    }

    private void WriteRequestHead(Utf8JsonWriter w, RedisRequestType type, string? requestId, BroadcastOptions? options)
    {
        w.WriteString("uid", Uid);
        if (requestId is not null)
        {
            w.WriteString("requestId", requestId);
        }

        w.WriteNumber("type", (int)type);
        if (options is not null)
        {
            w.WriteStartObject("opts");
            WriteStrings(w, "rooms", options.Rooms);
            WriteStrings(w, "except", options.Except);
            w.WriteEndObject();
        }
    }

    private void WriteJsonRequest(Utf8JsonWriter w, RedisRequestType type, string requestId, BroadcastOptions? options) =>
        WriteRequestHead(w, type, requestId, options);

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }
}
