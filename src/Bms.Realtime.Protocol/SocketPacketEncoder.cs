using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Bms.Realtime.Protocol;

/// <summary>
/// Encodes Socket.IO v5 packets. Binary values (<c>byte[]</c>, <c>ReadOnlyMemory&lt;byte&gt;</c>) anywhere in the
/// arguments become placeholders plus attachments, and the packet type becomes BINARY_EVENT / BINARY_ACK. The
/// attachments reference the caller's buffers (no copy): do not change them until the packet is sent.
/// A namespace must start with <c>/</c> and contain no <c>,</c> (<c>""</c> means <c>/</c>); every method throws
/// <see cref="ArgumentException"/> otherwise. Thread-safe: each thread reuses its own scratch buffer, and the only
/// allocations are the returned <see cref="EncodedPacket"/>, its text and its attachment list.
/// </summary>
/// <example>
/// <code>
/// EncodedPacket p = SocketPacketEncoder.EncodeEvent("/chat", "message", [new { text = "hi" }]);
/// // p.ToString() == "2/chat,[\"message\",{\"text\":\"hi\"}]"
/// </code>
/// </example>
public static class SocketPacketEncoder
{
    // Event names the reference client and server refuse (socket.io-parser RESERVED_EVENTS): a peer that receives one
    // closes the whole connection with "parse error", so emitting one is a programming error.
    private static readonly string[] ReservedEvents =
        ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"];

    [ThreadStatic]
    private static Scratch? t_scratch;

    /// <summary>Encodes an EVENT: <c>[name, ...args]</c>, with an ack id when <paramref name="ackId"/> is set.</summary>
    /// <exception cref="ArgumentException">A reserved event name (<c>connect</c>, <c>disconnect</c>, …), an invalid namespace or a negative ack id.</exception>
    public static EncodedPacket EncodeEvent(string @namespace, string eventName, ReadOnlySpan<object?> args, long? ackId = null, JsonSerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        if (Array.IndexOf(ReservedEvents, eventName) >= 0)
        {
            throw new ArgumentException($"\"{eventName}\" is a reserved event name", nameof(eventName));
        }

        return Encode(SocketPacketType.Event, @namespace, ackId, eventName, args, isArray: true, options);
    }

    /// <summary>Encodes an ACK answering <paramref name="ackId"/> with <paramref name="args"/>.</summary>
    public static EncodedPacket EncodeAck(string @namespace, long ackId, ReadOnlySpan<object?> args, JsonSerializerOptions? options = null) =>
        Encode(SocketPacketType.Ack, @namespace, ackId, null, args, isArray: true, options);

    /// <summary>Encodes CONNECT (client: optional auth object; server: <c>{sid}</c> or <c>{sid,pid}</c>).</summary>
    public static EncodedPacket EncodeConnect(string @namespace, object? data, JsonSerializerOptions? options = null) =>
        Encode(SocketPacketType.Connect, @namespace, null, null, data is null ? [] : [data], isArray: false, options);

    /// <summary>Encodes CONNECT_ERROR with <c>{message, data?}</c> (no <c>data</c> member when it is null, as the reference server).</summary>
    public static EncodedPacket EncodeConnectError(string @namespace, string message, object? data = null, JsonSerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        // Dictionary keys ignore the naming policy, so the wire names stay "message"/"data" with any options.
        var payload = new Dictionary<string, object?>(2) { ["message"] = message };
        if (data is not null)
        {
            payload["data"] = data;
        }

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
        if (@namespace.Length > 0 && (@namespace[0] != '/' || @namespace.Contains(',', StringComparison.Ordinal)))
        {
            throw new ArgumentException("A namespace starts with '/' and contains no ','", nameof(@namespace));
        }

        if (ackId < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ackId), ackId, "An ack id is not negative");
        }

        options ??= SocketJson.Options;

        // One scratch buffer, JSON writer and attachment list per thread; a converter that encodes a packet while
        // serializing (re-entrancy) gets fresh ones.
        var scratch = t_scratch is { InUse: false } cached ? cached : new Scratch();
        t_scratch ??= scratch;
        scratch.InUse = true;
        try
        {
            return EncodeWith(scratch, type, @namespace, ackId, eventName, values, isArray, options);
        }
        finally
        {
            scratch.Release();
        }
    }

    private static EncodedPacket EncodeWith(
        Scratch scratch,
        SocketPacketType type,
        string @namespace,
        long? ackId,
        string? eventName,
        ReadOnlySpan<object?> values,
        bool isArray,
        JsonSerializerOptions options)
    {
        var json = scratch.Json;
        var attachments = scratch.Attachments;
        if (isArray || values.Length > 0)
        {
            using var scope = SocketJson.BeginWrite(attachments);
            var writer = scratch.Writer(options);
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

        var hasBinary = attachments.Count > 0;
        if (hasBinary)
        {
            type = type switch
            {
                SocketPacketType.Event => SocketPacketType.BinaryEvent,
                SocketPacketType.Ack => SocketPacketType.BinaryAck,
                _ => throw new ArgumentException("Binary data is only allowed in events and acknowledgements"),
            };
        }

        // Header: <type>[<attachments>-][<nsp>,][<ackId>]; a non-root namespace is always followed by a comma,
        // as the reference encoder writes it.
        Span<byte> header = stackalloc byte[48];
        var length = 0;
        header[length++] = (byte)('0' + (int)type);
        if (hasBinary)
        {
            attachments.Count.TryFormat(header[length..], out var written);
            length += written;
            header[length++] = (byte)'-';
        }

        var nspLength = @namespace is "/" or "" ? 0 : Encoding.UTF8.GetByteCount(@namespace);
        var ackLength = 0;
        Span<byte> ackDigits = stackalloc byte[20];
        if (ackId is { } id)
        {
            id.TryFormat(ackDigits, out ackLength);
        }

        var separator = nspLength > 0 ? 1 : 0;
        var text = GC.AllocateUninitializedArray<byte>(length + nspLength + separator + ackLength + json.WrittenCount);
        header[..length].CopyTo(text);
        var position = length;
        if (nspLength > 0)
        {
            position += Encoding.UTF8.GetBytes(@namespace, text.AsSpan(position));
            text[position++] = (byte)',';
        }

        ackDigits[..ackLength].CopyTo(text.AsSpan(position));
        position += ackLength;
        json.WrittenSpan.CopyTo(text.AsSpan(position));
        return new EncodedPacket(text, hasBinary ? attachments.ToArray() : null);
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

    /// <summary>Per-thread reusable state of one encode: JSON buffer, JSON writer and attachment list.</summary>
    private sealed class Scratch
    {
        private const int MaxRetainedBytes = 64 * 1024;

        private Utf8JsonWriter? _writer;
        private System.Text.Encodings.Web.JavaScriptEncoder? _writerEncoder;

        public ArrayBufferWriter<byte> Json { get; private set; } = new(256);

        public List<ReadOnlyMemory<byte>> Attachments { get; } = [];

        public bool InUse { get; set; }

        /// <summary>The writer, reset onto <see cref="Json"/>; recreated only when the options' encoder differs.</summary>
        public Utf8JsonWriter Writer(JsonSerializerOptions options)
        {
            if (_writer is null || !ReferenceEquals(_writerEncoder, options.Encoder))
            {
                _writer?.Dispose();
                _writer = new Utf8JsonWriter(Json, new JsonWriterOptions { SkipValidation = true, Encoder = options.Encoder });
                _writerEncoder = options.Encoder;
                return _writer;
            }

            _writer.Reset(Json);
            return _writer;
        }

        public void Release()
        {
            // Do not keep a large buffer alive on every thread that once encoded a big packet.
            if (Json.Capacity > MaxRetainedBytes)
            {
                Json = new ArrayBufferWriter<byte>(256);
                _writer?.Dispose();
                _writer = null;
            }
            else
            {
                Json.ResetWrittenCount();
            }

            Attachments.Clear();
            InUse = false;
        }
    }
}
