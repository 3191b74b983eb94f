using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bms.Realtime.Protocol;

/// <summary>
/// The JSON settings shared by server and client: web defaults (camelCase, case-insensitive reads), non-ASCII text written
/// unescaped as the reference implementation does, plus converters that
/// turn <c>byte[]</c> and <c>ReadOnlyMemory&lt;byte&gt;</c> into Socket.IO binary placeholders
/// (<c>{"_placeholder":true,"num":n}</c>) while a packet is being encoded, and back while arguments are read.
/// Outside an encode/read scope binary values fall back to base64 strings.
/// </summary>
public static class SocketJson
{
    [ThreadStatic]
    private static List<ReadOnlyMemory<byte>>? t_writeAttachments;

    [ThreadStatic]
    private static IReadOnlyList<ReadOnlyMemory<byte>>? t_readAttachments;

    /// <summary>The shared options. Do not mutate.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Creates a fresh copy of the shared options, for callers that want to add converters.</summary>
    public static JsonSerializerOptions CreateOptions() => CreateOptions(null);

    /// <summary>
    /// Creates read-only options like <see cref="Options"/> that consult <paramref name="resolver"/> first (e.g. a
    /// source-generated <see cref="JsonSerializerContext"/>, so known types skip reflection) and reflection for the rest.
    /// </summary>
    public static JsonSerializerOptions CreateOptions(System.Text.Json.Serialization.Metadata.IJsonTypeInfoResolver? resolver)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,

            // As JSON.stringify in the reference implementation: non-ASCII text and HTML-sensitive characters are
            // written as they are (quotes, backslashes and control characters are still escaped). The packets are
            // never embedded in HTML, and "é" costs 2 bytes instead of 6.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new ByteArrayConverter());
        options.Converters.Add(new ReadOnlyMemoryConverter());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        if (resolver is not null)
        {
            options.TypeInfoResolver = System.Text.Json.Serialization.Metadata.JsonTypeInfoResolver.Combine(
                resolver, new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver());
        }

        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    internal static WriteScope BeginWrite(List<ReadOnlyMemory<byte>> attachments) => new(attachments);

    internal static ReadScope BeginRead(IReadOnlyList<ReadOnlyMemory<byte>>? attachments) => new(attachments);

    /// <summary>Returns true when <paramref name="element"/> is a binary placeholder object, with its index.</summary>
    public static bool IsPlaceholder(JsonElement element, out int num)
    {
        num = -1;
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("_placeholder", out var flag) || flag.ValueKind != JsonValueKind.True
            || !element.TryGetProperty("num", out var n) || n.ValueKind != JsonValueKind.Number || !n.TryGetInt32(out num))
        {
            return false;
        }

        return true;
    }

    /// <summary>
    /// Converts a JSON tree into plain values where binary placeholders become <c>byte[]</c>: objects become
    /// dictionaries, arrays lists, and everything else stays a <see cref="JsonElement"/>.
    /// </summary>
    public static object? ResolvePlaceholders(JsonElement element, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        ArgumentNullException.ThrowIfNull(attachments);
        switch (element.ValueKind)
        {
            case JsonValueKind.Object when IsPlaceholder(element, out var num):
                return (uint)num < (uint)attachments.Count ? attachments[num].ToArray() : throw new ProtocolException("Placeholder index out of range");
            case JsonValueKind.Object:
                var map = new Dictionary<string, object?>();
                foreach (var property in element.EnumerateObject())
                {
                    map[property.Name] = ResolvePlaceholders(property.Value, attachments);
                }

                return map;
            case JsonValueKind.Array:
                var list = new List<object?>();
                foreach (var item in element.EnumerateArray())
                {
                    list.Add(ResolvePlaceholders(item, attachments));
                }

                return list;
            default:
                return element;
        }
    }

    internal readonly ref struct WriteScope
    {
        private readonly List<ReadOnlyMemory<byte>>? _previous;

        public WriteScope(List<ReadOnlyMemory<byte>> attachments)
        {
            _previous = t_writeAttachments;
            t_writeAttachments = attachments;
        }

        public void Dispose() => t_writeAttachments = _previous;
    }

    internal readonly ref struct ReadScope
    {
        private readonly IReadOnlyList<ReadOnlyMemory<byte>>? _previous;

        public ReadScope(IReadOnlyList<ReadOnlyMemory<byte>>? attachments)
        {
            _previous = t_readAttachments;
            t_readAttachments = attachments;
        }

        public void Dispose() => t_readAttachments = _previous;
    }

    private static void WriteBinary(Utf8JsonWriter writer, ReadOnlyMemory<byte> value)
    {
        var attachments = t_writeAttachments;
        if (attachments is null)
        {
            writer.WriteBase64StringValue(value.Span);
            return;
        }

        writer.WriteStartObject();
        writer.WriteBoolean("_placeholder", true);
        writer.WriteNumber("num", attachments.Count);
        writer.WriteEndObject();
        attachments.Add(value);
    }

    private static ReadOnlyMemory<byte> ReadBinary(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetBytesFromBase64();
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Expected a binary placeholder or a base64 string");
        }

        var placeholder = false;
        int? num = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var isPlaceholder = reader.ValueTextEquals("_placeholder"u8);
            var isNum = reader.ValueTextEquals("num"u8);
            reader.Read();
            if (isPlaceholder)
            {
                placeholder = reader.TokenType == JsonTokenType.True;
            }
            else if (isNum && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value))
            {
                num = value;
            }

            // Leave the reader on the last token of the value, nested or not.
            reader.Skip();
        }

        var attachments = t_readAttachments;
        if (!placeholder || num is not { } index || attachments is null || (uint)index >= (uint)attachments.Count)
        {
            throw new JsonException("Invalid binary placeholder");
        }

        return attachments[index];
    }

    private sealed class ByteArrayConverter : JsonConverter<byte[]>
    {
        public override byte[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? null : ReadBinary(ref reader).ToArray();

        public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options) => WriteBinary(writer, value);
    }

    private sealed class ReadOnlyMemoryConverter : JsonConverter<ReadOnlyMemory<byte>>
    {
        public override bool HandleNull => true;

        public override ReadOnlyMemory<byte> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? default : ReadBinary(ref reader);

        public override void Write(Utf8JsonWriter writer, ReadOnlyMemory<byte> value, JsonSerializerOptions options) => WriteBinary(writer, value);
    }
}
