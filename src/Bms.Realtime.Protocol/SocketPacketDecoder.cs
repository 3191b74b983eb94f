using System.Buffers;
using System.Text.Json;

namespace Bms.Realtime.Protocol;

/// <summary>
/// Decodes Socket.IO v5 packets from Engine.IO messages. Stateful: a BINARY_EVENT/BINARY_ACK header is held until its
/// attachments have arrived, so use one decoder per connection. Not thread-safe (one read loop per transport).
/// </summary>
/// <example>
/// <code>
/// var decoder = new SocketPacketDecoder();
/// if (decoder.DecodeText("2[\"hello\",1]"u8) is { } packet) { Console.WriteLine(packet.EventName); }
/// </code>
/// </example>
public sealed class SocketPacketDecoder
{
    private static readonly string[] ReservedEvents =
        ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"];

    private readonly SocketDecoderOptions _options;
    private readonly JsonDocumentOptions _jsonOptions;
    private SocketPacket? _pending;
    private List<ReadOnlyMemory<byte>>? _pendingAttachments;
    private int _expectedAttachments;
    private long _pendingBytes;

    /// <summary>Creates a decoder with the given limits (defaults when null).</summary>
    public SocketPacketDecoder(SocketDecoderOptions? options = null)
    {
        _options = options ?? new SocketDecoderOptions();
        _jsonOptions = new JsonDocumentOptions { MaxDepth = _options.MaxDepth };
    }

    /// <summary>True while a binary packet waits for attachments.</summary>
    public bool IsAwaitingAttachments => _pending is not null;

    /// <summary>
    /// Decodes the text of one Engine.IO message. Returns the packet, or null when it is a binary packet whose
    /// attachments have not arrived yet.
    /// </summary>
    /// <exception cref="ProtocolException">Malformed packet, or text received while attachments were expected.</exception>
    public SocketPacket? DecodeText(ReadOnlySpan<byte> utf8)
    {
        if (_pending is not null)
        {
            throw new ProtocolException("Got plain text data while reconstructing a binary packet");
        }

        var packet = Parse(utf8, out var attachments);
        if (attachments == 0)
        {
            return packet;
        }

        _pending = packet;
        _expectedAttachments = attachments;
        _pendingAttachments = new List<ReadOnlyMemory<byte>>(attachments);
        return null;
    }

    /// <summary>Decodes text that may span several buffer segments.</summary>
    public SocketPacket? DecodeText(in ReadOnlySequence<byte> utf8)
    {
        if (utf8.IsSingleSegment)
        {
            return DecodeText(utf8.FirstSpan);
        }

        if (utf8.Length > _options.MaxTextLength)
        {
            throw new ProtocolException("Packet too large");
        }

        var rented = ArrayPool<byte>.Shared.Rent((int)utf8.Length);
        try
        {
            utf8.CopyTo(rented);
            return DecodeText(rented.AsSpan(0, (int)utf8.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Adds one binary attachment to the pending packet. Returns the completed packet after the last attachment,
    /// otherwise null. The memory is kept as is: pass a copy if the buffer is reused.
    /// </summary>
    /// <exception cref="ProtocolException">No binary packet is pending, or the attachments exceed <see cref="SocketDecoderOptions.MaxAttachmentBytes"/>.</exception>
    public SocketPacket? DecodeBinary(ReadOnlyMemory<byte> attachment)
    {
        if (_pending is null || _pendingAttachments is null)
        {
            throw new ProtocolException("Got binary data when not reconstructing a packet");
        }

        _pendingBytes += attachment.Length;
        if (_pendingBytes > _options.MaxAttachmentBytes)
        {
            Reset();
            throw new ProtocolException("Attachments too large");
        }

        _pendingAttachments.Add(attachment);
        if (_pendingAttachments.Count < _expectedAttachments)
        {
            return null;
        }

        var complete = new SocketPacket(_pending.Type, _pending.Namespace, _pending.Id, _pending.Data, _pendingAttachments);
        Reset();
        return complete;
    }

    /// <summary>Drops any partially received binary packet (for example when the transport closes).</summary>
    public void Reset()
    {
        _pending = null;
        _pendingAttachments = null;
        _expectedAttachments = 0;
        _pendingBytes = 0;
    }

    private SocketPacket Parse(ReadOnlySpan<byte> text, out int attachments)
    {
        if (text.IsEmpty)
        {
            throw new ProtocolException("Empty Socket.IO packet");
        }

        if (text.Length > _options.MaxTextLength)
        {
            throw new ProtocolException("Packet too large");
        }

        // Namespaces and event names become strings: invalid UTF-8 would be replaced silently or throw later.
        if (!System.Text.Unicode.Utf8.IsValid(text))
        {
            throw new ProtocolException("Invalid UTF-8");
        }

        var typeValue = text[0] - (byte)'0';
        if ((uint)typeValue > (uint)SocketPacketType.BinaryAck)
        {
            throw new ProtocolException("Unknown packet type");
        }

        var type = (SocketPacketType)typeValue;
        var position = 1;
        attachments = 0;

        if (type is SocketPacketType.BinaryEvent or SocketPacketType.BinaryAck)
        {
            var start = position;
            while (position < text.Length && IsDigit(text[position]))
            {
                position++;
            }

            if (position == start || position >= text.Length || text[position] != (byte)'-' || position - start > 6)
            {
                throw new ProtocolException("Illegal attachments");
            }

            attachments = ParseInt(text[start..position]);
            if (attachments < 1 || attachments > _options.MaxAttachments)
            {
                throw new ProtocolException("Illegal attachments");
            }

            position++;
        }

        var nsp = "/";
        if (position < text.Length && text[position] == (byte)'/')
        {
            var rest = text[position..];
            var comma = rest.IndexOf((byte)',');
            var nspBytes = comma < 0 ? rest : rest[..comma];
            nsp = Utf8StringCache.Namespaces.Get(nspBytes);
            position += nspBytes.Length + (comma < 0 ? 0 : 1);
        }

        long? id = null;
        var idStart = position;
        while (position < text.Length && IsDigit(text[position]))
        {
            position++;
        }

        if (position > idStart)
        {
            if (position - idStart > 15)
            {
                throw new ProtocolException("Illegal ack id");
            }

            id = ParseLong(text[idStart..position]);
        }

        JsonElement? data = null;
        if (position < text.Length)
        {
            data = ParseJson(text[position..]);
        }

        Validate(type, id, data, attachments);
        if (attachments > 0)
        {
            ValidatePlaceholders(data!.Value, attachments);
        }

        return new SocketPacket(type, nsp, id, data);
    }

    private JsonElement ParseJson(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = _jsonOptions.MaxDepth });
            var element = JsonElement.ParseValue(ref reader);
            if (reader.BytesConsumed != json.Length)
            {
                // Trailing data after the JSON value: only whitespace is tolerated.
                foreach (var b in json[(int)reader.BytesConsumed..])
                {
                    if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
                    {
                        throw new ProtocolException("Invalid payload");
                    }
                }
            }

            return element;
        }
        catch (JsonException ex)
        {
            throw new ProtocolException("Invalid payload", ex);
        }
    }

    private void Validate(SocketPacketType type, long? id, JsonElement? data, int attachments)
    {
        var valid = type switch
        {
            SocketPacketType.Connect => data is null || data.Value.ValueKind == JsonValueKind.Object,
            SocketPacketType.Disconnect => data is null,
            SocketPacketType.ConnectError => !_options.FromClient
                && data is { ValueKind: JsonValueKind.Object or JsonValueKind.String },
            SocketPacketType.Event or SocketPacketType.BinaryEvent => IsValidEventPayload(data),
            SocketPacketType.Ack or SocketPacketType.BinaryAck => id is not null && data is { ValueKind: JsonValueKind.Array },
            _ => false,
        };

        if (!valid)
        {
            throw new ProtocolException("Invalid payload");
        }

        if (attachments > 0 && id is null && type == SocketPacketType.BinaryAck)
        {
            throw new ProtocolException("Invalid payload");
        }
    }

    /// <summary>
    /// As the reference parser on reconstruction: every object with <c>"_placeholder":true</c> must name an attachment
    /// (<c>num</c> an integer below the attachment count). Checked on the header, before any attachment is buffered.
    /// </summary>
    private static void ValidatePlaceholders(JsonElement element, int attachments)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (element.TryGetProperty("_placeholder"u8, out var flag) && flag.ValueKind == JsonValueKind.True)
                {
                    if (!element.TryGetProperty("num"u8, out var num) || num.ValueKind != JsonValueKind.Number
                        || !num.TryGetInt32(out var index) || (uint)index >= (uint)attachments)
                    {
                        throw new ProtocolException("Illegal attachments");
                    }

                    return;
                }

                foreach (var property in element.EnumerateObject())
                {
                    ValidatePlaceholders(property.Value, attachments);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    ValidatePlaceholders(item, attachments);
                }

                break;
        }
    }

    private static bool IsValidEventPayload(JsonElement? data)
    {
        if (data is not { ValueKind: JsonValueKind.Array } array || array.GetArrayLength() == 0)
        {
            return false;
        }

        var first = array[0];
        if (first.ValueKind == JsonValueKind.Number)
        {
            return true;
        }

        if (first.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        // As the reference parser, in both directions: the official client and server both refuse these names.
        foreach (var reserved in ReservedEvents)
        {
            if (first.ValueEquals(reserved))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static int ParseInt(ReadOnlySpan<byte> digits) => (int)ParseLong(digits);

    private static long ParseLong(ReadOnlySpan<byte> digits)
    {
        long value = 0;
        foreach (var d in digits)
        {
            value = (value * 10) + (d - '0');
        }

        return value;
    }
}
