using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Bms.Realtime.Protocol;

/// <summary>
/// Encodes Socket.IO v5 packets. Binary values (<c>byte[]</c>, <c>ReadOnlyMemory&lt;byte&gt;</c>) anywhere in the
/// arguments become placeholders plus attachments, and the packet type becomes BINARY_EVENT / BINARY_ACK.
/// Stateless and thread-safe.
/// </summary>
/// <example>
/// <code>
/// EncodedPacket p = SocketPacketEncoder.EncodeEvent("/chat", "message", [new { text = "hi" }]);
/// // p.ToString() == "2/chat,[\"message\",{\"text\":\"hi\"}]"
/// </code>
/// </example>
public static class SocketPacketEncoder
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>Encodes an EVENT: <c>[name, ...args]</c>, with an ack id when <paramref name="ackId"/> is set.</summary>
    public static EncodedPacket EncodeEvent(string @namespace, string eventName, ReadOnlySpan<object?> args, long? ackId = null, JsonSerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        return Encode(SocketPacketType.Event, @namespace, ackId, eventName, args, isArray: true, options);
    }

    /// <summary>Encodes an ACK answering <paramref name="ackId"/> with <paramref name="args"/>.</summary>
    public static EncodedPacket EncodeAck(string @namespace, long ackId, ReadOnlySpan<object?> args, JsonSerializerOptions? options = null) =>
        Encode(SocketPacketType.Ack, @namespace, ackId, null, args, isArray: true, options);

    /// <summary>Encodes CONNECT (client: optional auth object; server: <c>{sid}</c> or <c>{sid,pid}</c>).</summary>
    public static EncodedPacket EncodeConnect(string @namespace, object? data, JsonSerializerOptions? options = null) =>
        Encode(SocketPacketType.Connect, @namespace, null, null, data is null ? [] : [data], isArray: false, options);

    /// <summary>Encodes CONNECT_ERROR with <c>{message, data?}</c>.</summary>
    public static EncodedPacket EncodeConnectError(string @namespace, string message, object? data = null, JsonSerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        object payload = data is null ? new ConnectErrorMessage(message) : new ConnectErrorPayload(message, data);
        return Encode(SocketPacketType.ConnectError, @namespace, null, null, [payload], isArray: false, options);
    }

    /// <summary>Encodes DISCONNECT.</summary>
    public static EncodedPacket EncodeDisconnect(string @namespace) =>
        Encode(SocketPacketType.Disconnect, @namespace, null, null, [], isArray: false, null);

    private static EncodedPacket Encode(
        SocketPacketType type,
        string @namespace,
        long? ackId,
        string? eventName,
        ReadOnlySpan<object?> values,
        bool isArray,
        JsonSerializerOptions? options)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        options ??= SocketJson.Options;
        var json = t_buffer ??= new ArrayBufferWriter<byte>(256);
        json.ResetWrittenCount();
        List<ReadOnlyMemory<byte>>? attachments = null;

        if (isArray || values.Length > 0)
        {
            attachments = [];
            using var scope = SocketJson.BeginWrite(attachments);
            using var writer = new Utf8JsonWriter(json, new JsonWriterOptions { SkipValidation = true, Encoder = options.Encoder });
            if (isArray)
            {
                writer.WriteStartArray();
                if (eventName is not null)
                {
                    writer.WriteStringValue(eventName);
                }

                foreach (var value in values)
                {
                    WriteValue(writer, value, options);
                }

                writer.WriteEndArray();
            }
            else
            {
                WriteValue(writer, values[0], options);
            }

            writer.Flush();
        }

        var hasBinary = attachments is { Count: > 0 };
        if (hasBinary)
        {
            type = type switch
            {
                SocketPacketType.Event => SocketPacketType.BinaryEvent,
                SocketPacketType.Ack => SocketPacketType.BinaryAck,
                _ => throw new ArgumentException("Binary data is only allowed in events and acknowledgements"),
            };
        }

        // Header: <type>[<attachments>-][<nsp>,][<ackId>]
        Span<byte> header = stackalloc byte[64];
        var length = 0;
        header[length++] = (byte)('0' + (int)type);
        if (hasBinary)
        {
            attachments!.Count.TryFormat(header[length..], out var w);
            length += w;
            header[length++] = (byte)'-';
        }

        var nspLength = @namespace == "/" ? 0 : Encoding.UTF8.GetByteCount(@namespace);
        var ackLength = 0;
        Span<byte> ackDigits = stackalloc byte[20];
        if (ackId is { } id)
        {
            id.TryFormat(ackDigits, out ackLength);
        }

        // As the reference encoder: a non-root namespace is always followed by a comma.
        var separator = nspLength > 0 ? 1 : 0;
        var text = new byte[length + nspLength + separator + ackLength + json.WrittenCount];
        header[..length].CopyTo(text);
        var position = length;
        if (nspLength > 0)
        {
            position += Encoding.UTF8.GetBytes(@namespace, text.AsSpan(position));
            if (separator == 1)
            {
                text[position++] = (byte)',';
            }
        }

        ackDigits[..ackLength].CopyTo(text.AsSpan(position));
        position += ackLength;
        json.WrittenSpan.CopyTo(text.AsSpan(position));
        return new EncodedPacket(text, hasBinary ? attachments : null);
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value, JsonSerializerOptions options)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            default:
                JsonSerializer.Serialize(writer, value, value.GetType(), options);
                break;
        }
    }

    private sealed record ConnectErrorMessage(string Message);

    private sealed record ConnectErrorPayload(string Message, object? Data);
}
