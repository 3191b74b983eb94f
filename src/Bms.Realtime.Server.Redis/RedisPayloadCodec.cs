using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Bms.Realtime.Protocol;
using MessagePack;

namespace Bms.Realtime.Server.Redis;

/// <summary>
/// Converts between the MessagePack the Node adapter writes (notepack.io: maps, arrays, str, bin, int, float64, nil)
/// and the values our server works with: plain trees (<see cref="Dictionary{TKey,TValue}"/>, <see cref="List{T}"/>,
/// <c>byte[]</c>, numbers, strings), and Socket.IO JSON with binary placeholders plus attachments. Stateless.
/// </summary>
internal static class RedisPayloadCodec
{
    /// <summary>Reads one MessagePack value as a plain tree (bin → <c>byte[]</c>, unknown extensions → null).</summary>
    public static object? Read(ref MessagePackReader reader)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                return null;
            case MessagePackType.Boolean:
                return reader.ReadBoolean();
            case MessagePackType.Integer:
                // notepack writes uint64 only above 2^53; keep everything else as long.
                return reader.NextCode == MessagePackCode.UInt64 ? reader.ReadUInt64() : reader.ReadInt64();
            case MessagePackType.Float:
                return reader.ReadDouble();
            case MessagePackType.String:
                return reader.ReadString();
            case MessagePackType.Binary:
                return reader.ReadBytes()?.ToArray() ?? [];
            case MessagePackType.Array:
            {
                var count = reader.ReadArrayHeader();
                var list = new List<object?>(count);
                for (var i = 0; i < count; i++)
                {
                    list.Add(Read(ref reader));
                }

                return list;
            }

            case MessagePackType.Map:
            {
                var count = reader.ReadMapHeader();
                var map = new Dictionary<string, object?>(count, StringComparer.Ordinal);
                for (var i = 0; i < count; i++)
                {
                    var key = Read(ref reader);
                    var value = Read(ref reader);
                    map[Convert.ToString(key, CultureInfo.InvariantCulture) ?? string.Empty] = value;
                }

                return map;
            }

            case MessagePackType.Extension:
            {
                // notepack uses extension -1 (timestamps) for Date; anything else is not representable in JSON.
                var header = reader.ReadExtensionFormatHeader();
                var body = reader.ReadRaw(header.Length);
                if (header.TypeCode == -1 && header.Length == 8)
                {
                    Span<byte> raw = stackalloc byte[8];
                    body.CopyTo(raw);
                    var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(raw);
                    var nanoseconds = (long)(value >> 34);
                    var seconds = (long)(value & 0x3_ffff_ffffUL);
                    return DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanoseconds / 100).ToString("O", CultureInfo.InvariantCulture);
                }

                if (header.TypeCode == -1 && header.Length == 4)
                {
                    Span<byte> raw = stackalloc byte[4];
                    body.CopyTo(raw);
                    return DateTimeOffset.FromUnixTimeSeconds(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(raw)).ToString("O", CultureInfo.InvariantCulture);
                }

                return null;
            }

            default:
                reader.Skip();
                return null;
        }
    }

    /// <summary>Decodes a whole MessagePack message as a plain tree.</summary>
    public static object? Decode(ReadOnlyMemory<byte> message)
    {
        var reader = new MessagePackReader(message);
        return Read(ref reader);
    }

    /// <summary>Writes a plain tree (strings, numbers, booleans, byte[], dictionaries, lists, JSON elements).</summary>
    public static void Write(ref MessagePackWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNil();
                break;
            case string s:
                writer.Write(s);
                break;
            case bool b:
                writer.Write(b);
                break;
            case int i:
                writer.Write(i);
                break;
            case long l:
                writer.Write(l);
                break;
            case ulong ul:
                writer.Write(ul);
                break;
            case double d:
                WriteNumber(ref writer, d);
                break;
            case byte[] bytes:
                writer.Write(bytes);
                break;
            case ReadOnlyMemory<byte> memory:
                writer.Write(memory.Span);
                break;
            case JsonElement element:
                Write(ref writer, element, []);
                break;
            case IReadOnlyDictionary<string, object?> map:
                writer.WriteMapHeader(map.Count);
                foreach (var (key, item) in map)
                {
                    writer.Write(key);
                    Write(ref writer, item);
                }

                break;
            case System.Collections.IEnumerable sequence:
                var items = sequence.Cast<object?>().ToList();
                writer.WriteArrayHeader(items.Count);
                foreach (var item in items)
                {
                    Write(ref writer, item);
                }

                break;
            default:
                Write(ref writer, JsonSerializer.SerializeToElement(value, SocketJson.Options), []);
                break;
        }
    }

    /// <summary>
    /// Writes Socket.IO JSON as MessagePack, replacing binary placeholders by bin values taken from
    /// <paramref name="attachments"/> (so Node peers receive Buffers, as their own adapter sends them).
    /// </summary>
    public static void Write(ref MessagePackWriter writer, JsonElement element, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (attachments.Count > 0 && SocketJson.IsPlaceholder(element, out var num) && num >= 0 && num < attachments.Count)
                {
                    writer.Write(attachments[num].Span);
                    return;
                }

                var count = 0;
                foreach (var _ in element.EnumerateObject())
                {
                    count++;
                }

                writer.WriteMapHeader(count);
                foreach (var property in element.EnumerateObject())
                {
                    writer.Write(property.Name);
                    Write(ref writer, property.Value, attachments);
                }

                break;
            case JsonValueKind.Array:
                writer.WriteArrayHeader(element.GetArrayLength());
                foreach (var item in element.EnumerateArray())
                {
                    Write(ref writer, item, attachments);
                }

                break;
            case JsonValueKind.String:
                writer.Write(element.GetString());
                break;
            case JsonValueKind.Number:
                if (element.TryGetInt64(out var l))
                {
                    writer.Write(l);
                }
                else
                {
                    WriteNumber(ref writer, element.GetDouble());
                }

                break;
            case JsonValueKind.True:
                writer.Write(true);
                break;
            case JsonValueKind.False:
                writer.Write(false);
                break;
            default:
                writer.WriteNil();
                break;
        }
    }

    /// <summary>
    /// Writes a plain tree as Socket.IO JSON: <c>byte[]</c> values become placeholders appended to
    /// <paramref name="attachments"/>.
    /// </summary>
    public static void WriteJson(Utf8JsonWriter writer, object? value, List<ReadOnlyMemory<byte>> attachments)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case ulong ul:
                writer.WriteNumberValue(ul);
                break;
            case double d:
                writer.WriteNumberValue(d);
                break;
            case byte[] bytes:
                writer.WriteStartObject();
                writer.WriteBoolean("_placeholder", true);
                writer.WriteNumber("num", attachments.Count);
                writer.WriteEndObject();
                attachments.Add(bytes);
                break;
            case Dictionary<string, object?> map:
                writer.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    writer.WritePropertyName(key);
                    WriteJson(writer, item, attachments);
                }

                writer.WriteEndObject();
                break;
            case List<object?> list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    WriteJson(writer, item, attachments);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>Wraps plain values as <see cref="EventArguments"/> (binary values become attachments).</summary>
    public static EventArguments ToArguments(params object?[] values)
    {
        var attachments = new List<ReadOnlyMemory<byte>>();
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var value in values)
            {
                WriteJson(json, value, attachments);
            }

            json.WriteEndArray();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return new EventArguments(document.RootElement.Clone(), 0, attachments);
    }

    /// <summary>Converts a plain tree into a JSON element (binary values as base64 strings); for data the server only reads.</summary>
    public static JsonElement ToJsonElement(object? value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            WriteJson(json, value is byte[] b ? Convert.ToBase64String(b) : value, []);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static void WriteNumber(ref MessagePackWriter writer, double value)
    {
        // notepack writes integral numbers as integers; do the same so both peers produce identical messages.
        if (Math.Abs(value) < 9007199254740992d && Math.Floor(value) == value && !(value == 0 && double.IsNegative(value)))
        {
            writer.Write((long)value);
        }
        else
        {
            writer.Write(value);
        }
    }
}
